using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// OpenAI <c>tools</c> as one Gemini tool of <c>functionDeclarations</c> (parameters cleaned to Gemini's Schema
/// subset), and <c>tool_choice</c> as <c>toolConfig.functionCallingConfig</c>.
/// </summary>
internal static class GeminiTools
{
    public static void Write(Utf8JsonWriter json, JsonElement request)
    {
        if (!WriteDeclarations(json, request))
        {
            return; // a tool_choice without tools has nothing to choose from
        }
        if (!request.TryGetProperty("tool_choice", out var choice))
        {
            return;
        }
        var (mode, name) = choice.ValueKind switch
        {
            JsonValueKind.String => (choice.GetString() switch
            {
                "none" => "NONE",
                "required" => "ANY",
                "auto" => "AUTO",
                _ => null,
            }, null),
            // {"type":"function","function":{"name":…}}: call exactly that function.
            JsonValueKind.Object when JsonElements.TryGetObject(choice, "function", out var function) && GeminiRequestWriter.String(function, "name") is { } named => ("ANY", named),
            _ => ((string?)null, (string?)null),
        };
        if (mode is null)
        {
            return;
        }
        json.WriteStartObject("toolConfig"u8);
        json.WriteStartObject("functionCallingConfig"u8);
        json.WriteString("mode"u8, mode);
        if (name is not null)
        {
            json.WriteStartArray("allowedFunctionNames"u8);
            json.WriteStringValue(name);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static bool WriteDeclarations(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonElements.TryGet(request, "tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        var written = false;
        foreach (var tool in tools.EnumerateArray())
        {
            if (GeminiRequestWriter.String(tool, "type") is not (null or "function")
                || !JsonElements.TryGetObject(tool, "function", out var function)
                || GeminiRequestWriter.String(function, "name") is not { } name)
            {
                continue; // only function tools have a Gemini counterpart
            }
            if (!written)
            {
                json.WriteStartArray("tools"u8);
                json.WriteStartObject();
                json.WriteStartArray("functionDeclarations"u8);
                written = true;
            }
            json.WriteStartObject();
            json.WriteString("name"u8, name);
            if (GeminiRequestWriter.String(function, "description") is { } description)
            {
                json.WriteString("description"u8, description);
            }
            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                json.WritePropertyName("parameters"u8);
                GeminiSchema.Write(json, parameters);
            }
            json.WriteEndObject();
        }
        if (written)
        {
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        return written;
    }
}
