using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Gemini;

/// <summary><c>generationConfig</c>: strict field names, a Gemini-subset <c>responseSchema</c>, and the generation limits.</summary>
internal static class GeminiGenerationConfig
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.Ordinal,
        "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities", "candidateCount",
        "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs",
        "logprobs", "enableEnhancedCivicAnswers", "speechConfig", "thinkingConfig", "imageConfig", "mediaResolution");

    public static void CheckStructure(JsonElement root, List<GeminiFieldViolation> violations)
    {
        if (!GeminiFields.TryGet(root, "generationConfig", out var config))
        {
            return;
        }

        GeminiFields.CheckNames(config, "generation_config", Names, violations);
        if (GeminiFields.TryGet(config, "responseSchema", out var schema))
        {
            GeminiSchemaValidator.Check(schema, "generation_config.response_schema", violations);
        }
    }

    public static string? Validate(JsonElement root) =>
        CandidateCount(root) < 1
            ? "* GenerateContentRequest.generation_config.candidate_count: candidate_count must be positive.\n"
            : null;

    public static int CandidateCount(JsonElement root) => Int(root, "candidateCount") ?? 1;

    public static int? MaxOutputTokens(JsonElement root) => Int(root, "maxOutputTokens");

    public static IReadOnlyList<string> StopSequences(JsonElement root)
    {
        if (!GeminiFields.TryGet(root, "generationConfig", out var config)
            || !GeminiFields.TryGet(config, "stopSequences", out var stops)
            || stops.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. stops.EnumerateArray().Where(stop => stop.ValueKind == JsonValueKind.String).Select(stop => stop.GetString()!)];
    }

    private static int? Int(JsonElement root, string field) =>
        GeminiFields.TryGet(root, "generationConfig", out var config)
        && GeminiFields.TryGet(config, field, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var number)
            ? number
            : null;
}
