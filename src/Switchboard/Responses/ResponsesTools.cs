using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// Responses <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c> as the chat path's. A function tool is
/// flat in Responses (<c>{type, name, description, parameters, strict}</c>) and nested under <c>function</c> in chat.
/// A <c>namespace</c> (Codex CLI sends one by default) groups function tools: they are offered by their own names, so
/// their calls come back without a namespace. <c>web_search</c> and <c>web_search_preview</c> are dropped, because
/// Codex CLI sends one by default and the gateway has no search of its own; any other built-in tool has no chat
/// equivalent and is refused by its type.
/// </summary>
internal static class ResponsesTools
{
    public static string? Write(Utf8JsonWriter json, JsonElement request)
    {
        var offered = 0;
        if (JsonValues.TryGetValue(request, "tools", out var tools))
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return "tools: must be an array";
            }
            json.WriteStartArray("tools"u8);
            var i = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (WriteTool(json, tool, $"tools[{i}]", ref offered, allowNamespace: true) is { } error)
                {
                    return error;
                }
                i++;
            }
            json.WriteEndArray();
        }
        if (JsonValues.TryGetValue(request, "parallel_tool_calls", out var parallel))
        {
            if (parallel.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "parallel_tool_calls: must be a boolean";
            }
            if (offered > 0)
            {
                json.WriteBoolean("parallel_tool_calls"u8, parallel.ValueKind == JsonValueKind.True);
            }
        }
        return WriteToolChoice(json, request, offered);
    }

    private static string? WriteTool(Utf8JsonWriter json, JsonElement tool, string path, ref int offered, bool allowNamespace)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: must be an object with a type";
        }
        switch (JsonValues.String(tool, "type"))
        {
            case "function":
                offered++;
                return WriteFunction(json, tool, path);
            case "namespace" when allowNamespace:
                if (!JsonValues.TryGetValue(tool, "tools", out var members) || members.ValueKind != JsonValueKind.Array)
                {
                    return $"{path}.tools: must be an array of function tools";
                }
                var i = 0;
                foreach (var member in members.EnumerateArray())
                {
                    if (WriteTool(json, member, $"{path}.tools[{i}]", ref offered, allowNamespace: false) is { } error)
                    {
                        return error;
                    }
                    i++;
                }
                return null;
            case "web_search" or "web_search_preview" or "web_search_2025_08_26" or "web_search_preview_2025_03_11":
                return null;
            case null:
                return $"{path}.type: required, such as \"function\"";
            case var other:
                return $"{path}.type: the built-in tool '{other}' is not supported by this gateway; only function tools (and namespaces of them) are";
        }
    }

    private static string? WriteFunction(Utf8JsonWriter json, JsonElement tool, string path)
    {
        if (JsonValues.String(tool, "name") is not { Length: > 0 } name)
        {
            return $"{path}.name: required, a non-empty string";
        }
        if (JsonValues.TryGetValue(tool, "description", out var description) && description.ValueKind != JsonValueKind.String)
        {
            return $"{path}.description: must be a string";
        }
        if (JsonValues.TryGetValue(tool, "parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Object)
        {
            return $"{path}.parameters: must be a JSON Schema object";
        }
        if (JsonValues.TryGetValue(tool, "strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
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
        if (parameters.ValueKind == JsonValueKind.Object)
        {
            parameters.WriteTo(json);
        }
        else
        {
            // A tool without parameters takes none; several providers refuse a function without a schema.
            json.WriteStartObject();
            json.WriteString("type"u8, "object");
            json.WriteStartObject("properties"u8);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        if (strict.ValueKind == JsonValueKind.True)
        {
            json.WriteBoolean("strict"u8, true);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        return null;
    }

    /// <summary>
    /// <c>auto</c>, <c>none</c>, <c>required</c>, or one function by name. Without tools to choose from (all dropped,
    /// say) a choice would make providers refuse the request, so none is sent.
    /// </summary>
    private static string? WriteToolChoice(Utf8JsonWriter json, JsonElement request, int offered)
    {
        if (!JsonValues.TryGetValue(request, "tool_choice", out var choice))
        {
            return null;
        }
        string? mode = null;
        string? function = null;
        if (choice.ValueKind == JsonValueKind.String)
        {
            mode = choice.GetString();
            if (mode is not ("auto" or "none" or "required"))
            {
                return $"tool_choice: '{mode}' is not one of auto, none, required";
            }
        }
        else if (choice.ValueKind == JsonValueKind.Object)
        {
            switch (JsonValues.String(choice, "type"))
            {
                case "function":
                    function = JsonValues.String(choice, "name");
                    if (function is not { Length: > 0 })
                    {
                        return "tool_choice.name: required, the function to call";
                    }
                    break;
                case "allowed_tools":
                    // The subset cannot be said in chat; its mode can, and the model still sees every tool.
                    mode = JsonValues.String(choice, "mode");
                    if (mode is not ("auto" or "required"))
                    {
                        return "tool_choice.mode: must be auto or required";
                    }
                    break;
                case var other:
                    return $"tool_choice.type: '{other}' is not supported; use function, or the strings auto, none, required";
            }
        }
        else
        {
            return "tool_choice: must be auto, none, required, or {\"type\":\"function\",\"name\":…}";
        }
        if (offered == 0)
        {
            return function is null ? null : $"tool_choice.name: '{function}' is not one of the function tools sent";
        }
        if (function is not null)
        {
            json.WriteStartObject("tool_choice"u8);
            json.WriteString("type"u8, "function");
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, function);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("tool_choice"u8, mode);
        }
        return null;
    }
}
