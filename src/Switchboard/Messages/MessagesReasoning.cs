using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's <c>thinking</c> and <c>output_config</c> as OpenRouter's <c>reasoning</c> and OpenAI's
/// <c>response_format</c>. A thinking budget and an effort are alternatives in OpenRouter's <c>reasoning</c>, so an
/// explicit <c>thinking</c> decides, and the effort only joins adaptive thinking, whose depth it is meant to steer.
/// </summary>
internal static class MessagesReasoning
{
    public static string? Write(Utf8JsonWriter json, JsonElement request)
    {
        string? effort = null;
        if (JsonValues.TryGetValue(request, "output_config", out var output))
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                return "output_config: must be an object";
            }
            if ((ReadEffort(output, out effort) ?? WriteFormat(json, output)) is { } outputError)
            {
                return outputError;
            }
        }

        if (!JsonValues.TryGetValue(request, "thinking", out var thinking))
        {
            if (effort is not null)
            {
                json.WriteStartObject("reasoning"u8);
                json.WriteString("effort"u8, effort);
                json.WriteEndObject();
            }
            return null;
        }
        if (thinking.ValueKind != JsonValueKind.Object)
        {
            return "thinking: must be an object such as {\"type\":\"enabled\",\"budget_tokens\":2048}";
        }
        switch (JsonValues.String(thinking, "type"))
        {
            case "enabled":
                if (!JsonValues.TryGetValue(thinking, "budget_tokens", out var budget)
                    || budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt32(out var tokens) || tokens <= 0)
                {
                    return "thinking.budget_tokens: must be a positive integer";
                }
                json.WriteStartObject("reasoning"u8);
                json.WriteNumber("max_tokens"u8, tokens);
                json.WriteEndObject();
                return null;
            case "adaptive":
                json.WriteStartObject("reasoning"u8);
                json.WriteBoolean("enabled"u8, true);
                if (effort is not null)
                {
                    json.WriteString("effort"u8, effort);
                }
                json.WriteEndObject();
                return null;
            case "disabled":
                json.WriteStartObject("reasoning"u8);
                json.WriteBoolean("enabled"u8, false);
                json.WriteEndObject();
                return null;
            default:
                return "thinking.type: must be \"enabled\", \"adaptive\" or \"disabled\"";
        }
    }

    private static string? ReadEffort(JsonElement output, out string? effort)
    {
        effort = null;
        if (!JsonValues.TryGetValue(output, "effort", out var value))
        {
            return null;
        }
        // The chat path reads these four the way Anthropic means them ("max" is the top of both scales).
        effort = value.ValueKind == JsonValueKind.String && value.GetString() is "low" or "medium" or "high" or "max" ? value.GetString() : null;
        return effort is null ? "output_config.effort: must be \"low\", \"medium\", \"high\" or \"max\"" : null;
    }

    private static string? WriteFormat(Utf8JsonWriter json, JsonElement output)
    {
        if (!JsonValues.TryGetValue(output, "format", out var format))
        {
            return null;
        }
        if (format.ValueKind != JsonValueKind.Object || JsonValues.String(format, "type") != "json_schema")
        {
            return "output_config.format: must be {\"type\":\"json_schema\",\"schema\":{…}}";
        }
        if (!JsonValues.TryGetValue(format, "schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            return "output_config.format.schema: must be a JSON Schema object";
        }
        json.WriteStartObject("response_format"u8);
        json.WriteString("type"u8, "json_schema");
        json.WriteStartObject("json_schema"u8);
        json.WriteString("name"u8, "output");
        json.WritePropertyName("schema"u8);
        schema.WriteTo(json);
        json.WriteBoolean("strict"u8, true);
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }
}
