using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// Anthropic's <c>tools</c> and <c>tool_choice</c> in OpenAI's shape. Only custom tools translate: server tools
/// (web search, bash, code execution, …) run inside Anthropic's API, so another model cannot have them.
/// </summary>
internal static class MessagesTools
{
    public static string? Write(Utf8JsonWriter json, JsonElement request) => WriteTools(json, request) ?? WriteChoice(json, request);

    private static string? WriteTools(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "tools", out var tools))
        {
            return null;
        }
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return "tools: must be an array";
        }
        if (tools.GetArrayLength() == 0)
        {
            return null; // some OpenAI-compatible providers refuse an empty list, which means no tools anyway
        }
        json.WriteStartArray("tools"u8);
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                return $"{path}: must be an object with name and input_schema";
            }
            if (JsonValues.TryGetValue(tool, "type", out var type) && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("custom")))
            {
                return type.ValueKind == JsonValueKind.String
                    ? $"{path}: server tool '{type.GetString()}' is only available on Claude models"
                    : $"{path}.type: must be a string";
            }
            if (JsonValues.String(tool, "name") is not { Length: > 0 } name)
            {
                return $"{path}.name: must be a non-empty string";
            }
            if (!JsonValues.TryGetValue(tool, "input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                return $"{path}.input_schema: must be a JSON Schema object";
            }
            JsonValues.TryGetValue(tool, "description", out var description);
            if (description.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.String))
            {
                return $"{path}.description: must be a string";
            }
            JsonValues.TryGetValue(tool, "strict", out var strict);
            if (strict.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False))
            {
                return $"{path}.strict: must be a boolean";
            }

            json.WriteStartObject();
            json.WriteString("type"u8, "function");
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, name);
            if (description.ValueKind == JsonValueKind.String)
            {
                json.WriteString("description"u8, description.GetString());
            }
            json.WritePropertyName("parameters"u8);
            schema.WriteTo(json);
            if (strict.ValueKind != JsonValueKind.Undefined)
            {
                json.WriteBoolean("strict"u8, strict.ValueKind == JsonValueKind.True);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        return null;
    }

    private static string? WriteChoice(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "tool_choice", out var choice))
        {
            return null;
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return "tool_choice: must be an object such as {\"type\":\"auto\"}";
        }
        JsonValues.TryGetValue(choice, "disable_parallel_tool_use", out var disableParallel);
        if (disableParallel.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False))
        {
            return "tool_choice.disable_parallel_tool_use: must be a boolean";
        }
        switch (JsonValues.String(choice, "type"))
        {
            case "auto":
                json.WriteString("tool_choice"u8, "auto");
                break;
            case "any":
                json.WriteString("tool_choice"u8, "required");
                break;
            case "none":
                json.WriteString("tool_choice"u8, "none");
                return null; // no calls, so nothing to run in parallel
            case "tool":
                if (JsonValues.String(choice, "name") is not { Length: > 0 } name)
                {
                    return "tool_choice.name: must be the name of a tool";
                }
                json.WriteStartObject("tool_choice"u8);
                json.WriteString("type"u8, "function");
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, name);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            default:
                return "tool_choice.type: must be \"auto\", \"any\", \"tool\" or \"none\"";
        }
        if (disableParallel.ValueKind == JsonValueKind.True)
        {
            // Anthropic's flag is the inverse of OpenAI's.
            json.WriteBoolean("parallel_tool_calls"u8, false);
        }
        return null;
    }
}
