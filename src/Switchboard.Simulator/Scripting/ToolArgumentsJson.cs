using System.Text.Json;

namespace Switchboard.Simulator.Scripting;

/// <summary>Anthropic's <c>input</c> and Gemini's <c>args</c> are JSON objects, unlike OpenAI's <c>arguments</c> string.</summary>
internal static class ToolArgumentsJson
{
    public static void Write(Utf8JsonWriter json, ReadOnlySpan<byte> propertyName, string arguments)
    {
        json.WritePropertyName(propertyName);
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
            // Falls through: deliberately broken scripted arguments.
        }

        // The real APIs never do this; it only happens when a test scripts arguments that are not a JSON object,
        // and sending them as a string lets it check how the gateway copes with an unusable call.
        json.WriteStringValue(arguments);
    }
}
