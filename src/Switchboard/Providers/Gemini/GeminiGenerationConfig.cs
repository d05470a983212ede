using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// OpenAI sampling and output fields as Gemini's <c>generationConfig</c>: renamed numbers, <c>stop</c> as a list,
/// JSON output as a MIME type plus a cleaned schema, and reasoning as <c>thinkingConfig</c>. Written only when
/// at least one field is present.
/// </summary>
internal static class GeminiGenerationConfig
{
    private static readonly (string From, string To)[] Numbers =
    [
        ("temperature", "temperature"), ("top_p", "topP"), ("top_k", "topK"), ("n", "candidateCount"), ("seed", "seed"),
        ("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty"),
    ];

    public static void Write(Utf8JsonWriter json, JsonElement request, int? maxTokens, int? endpointLimit, ReasoningRequest reasoning)
    {
        var started = false;
        foreach (var (from, to) in Numbers)
        {
            if (request.TryGetProperty(from, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                Begin(json, ref started);
                json.WritePropertyName(to);
                value.WriteTo(json);
            }
        }
        if (maxTokens is { } max)
        {
            Begin(json, ref started);
            json.WriteNumber("maxOutputTokens"u8, max);
        }
        WriteStop(json, request, ref started);
        WriteResponseFormat(json, request, ref started);
        if (GeminiThinking.From(request, reasoning, maxTokens ?? endpointLimit) is { } thinking)
        {
            Begin(json, ref started);
            thinking.Write(json);
        }
        if (started)
        {
            json.WriteEndObject();
        }
    }

    private static void WriteStop(Utf8JsonWriter json, JsonElement request, ref bool started)
    {
        if (!request.TryGetProperty("stop", out var stop) || stop.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return;
        }
        List<string> sequences = stop.ValueKind == JsonValueKind.String
            ? [stop.GetString()!]
            : stop.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToList();
        sequences.RemoveAll(string.IsNullOrEmpty);
        if (sequences.Count == 0)
        {
            return;
        }
        Begin(json, ref started);
        json.WriteStartArray("stopSequences"u8);
        foreach (var sequence in sequences)
        {
            json.WriteStringValue(sequence);
        }
        json.WriteEndArray();
    }

    private static void WriteResponseFormat(Utf8JsonWriter json, JsonElement request, ref bool started)
    {
        if (!request.TryGetProperty("response_format", out var format))
        {
            return;
        }
        var type = GeminiRequestWriter.String(format, "type");
        if (type is not ("json_object" or "json_schema"))
        {
            return;
        }
        Begin(json, ref started);
        json.WriteString("responseMimeType"u8, "application/json");
        if (type == "json_schema" && format.TryGetProperty("json_schema", out var definition)
            && definition.ValueKind == JsonValueKind.Object && definition.TryGetProperty("schema", out var schema)
            && schema.ValueKind == JsonValueKind.Object)
        {
            json.WritePropertyName("responseSchema"u8);
            GeminiSchema.Write(json, schema);
        }
    }

    private static void Begin(Utf8JsonWriter json, ref bool started)
    {
        if (!started)
        {
            json.WriteStartObject("generationConfig"u8);
            started = true;
        }
    }
}
