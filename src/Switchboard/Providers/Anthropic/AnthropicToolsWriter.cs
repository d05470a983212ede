using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes <c>tools</c> and <c>tool_choice</c> in Anthropic's shape, including the forced JSON tool.</summary>
internal static class AnthropicToolsWriter
{
    public static void Write(Utf8JsonWriter json, JsonElement request, AnthropicJsonOutput? jsonTool, bool thinking)
    {
        var hasTools = JsonElements.TryGet(request, "tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        if (!hasTools && jsonTool is null)
        {
            return;
        }

        json.WriteStartArray("tools"u8);
        if (hasTools)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (!JsonElements.TryGetObject(tool, "function", out var function) || JsonElements.String(function, "name") is not { } name)
                {
                    continue;
                }
                json.WriteStartObject();
                json.WriteString("name"u8, name);
                if (JsonElements.String(function, "description") is { } description)
                {
                    json.WriteString("description"u8, description);
                }
                json.WritePropertyName("input_schema"u8);
                if (JsonElements.TryGetObject(function, "parameters", out var parameters))
                {
                    parameters.WriteTo(json);
                }
                else
                {
                    json.WriteRawValue("""{"type":"object","properties":{}}"""u8);
                }
                if (JsonElements.TryGetObject(tool, "cache_control", out var cache))
                {
                    json.WritePropertyName("cache_control"u8);
                    cache.WriteTo(json);
                }
                json.WriteEndObject();
            }
        }
        if (jsonTool is not null)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, AnthropicJsonOutput.ToolName);
            json.WriteString("description"u8, "Give the final answer by calling this tool with it as the input.");
            json.WritePropertyName("input_schema"u8);
            if (jsonTool.Wrapped)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "object");
                json.WriteStartObject("properties"u8);
                json.WritePropertyName("value"u8);
                jsonTool.Schema.WriteTo(json);
                json.WriteEndObject();
                json.WriteStartArray("required"u8);
                json.WriteStringValue("value"u8);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                jsonTool.Schema.WriteTo(json);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();

        WriteToolChoice(json, request, jsonTool, thinking);
    }

    private static void WriteToolChoice(Utf8JsonWriter json, JsonElement request, AnthropicJsonOutput? jsonTool, bool thinking)
    {
        var disableParallel = JsonElements.TryGet(request, "parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.False;
        string type;
        string? name = null;
        if (jsonTool is not null && !thinking)
        {
            // Claude rejects a forced tool while thinking; then the tool's description has to carry the instruction.
            (type, name) = ("tool", AnthropicJsonOutput.ToolName);
        }
        else if (!JsonElements.TryGet(request, "tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            type = "auto";
        }
        else if (choice.ValueKind == JsonValueKind.String)
        {
            type = choice.GetString() switch
            {
                "none" => "none",
                "required" => thinking ? "auto" : "any",
                _ => "auto",
            };
        }
        else if (JsonElements.TryGetObject(choice, "function", out var function) && JsonElements.String(function, "name") is { } named && !thinking)
        {
            (type, name) = ("tool", named);
        }
        else
        {
            type = "auto";
        }

        json.WriteStartObject("tool_choice"u8);
        json.WriteString("type"u8, type);
        if (name is not null)
        {
            json.WriteString("name"u8, name);
        }
        if (disableParallel && type != "none")
        {
            json.WriteBoolean("disable_parallel_tool_use"u8, true);
        }
        json.WriteEndObject();
    }
}
