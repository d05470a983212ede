using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// Validates a GenerateContentRequest in the API's two phases: proto-JSON parsing first (unknown names and wrong
/// value types, all reported together with a BadRequest detail), then the request's semantic rules (first error).
/// </summary>
internal static class GeminiRequestParser
{
    // "simulator" is not a Gemini field; accepting it keeps the top-level script usable when calling directly.
    private static readonly FrozenSet<string> TopLevelNames = FrozenSet.Create(
        StringComparer.Ordinal,
        "model", "contents", "tools", "toolConfig", "safetySettings", "systemInstruction", "generationConfig",
        "cachedContent", "labels", "serviceTier", "store", "simulator");

    public static bool TryParse(
        byte[] body,
        string provider,
        [NotNullWhen(true)] out GeminiRequest? request,
        [NotNullWhen(false)] out GeminiRequestError? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            error = new GeminiRequestError("Invalid JSON payload received. Unexpected token.");
            return false;
        }

        using (document)
        {
            error = Validate(body, document.RootElement, provider, out request);
            return error is null;
        }
    }

    private static GeminiRequestError? Validate(byte[] body, JsonElement root, string provider, out GeminiRequest? request)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new GeminiRequestError($"Invalid JSON payload received. Expected an object, got: {root.GetRawText()}");
        }

        var violations = CheckStructure(root);
        if (violations.Count > 0)
        {
            return new GeminiRequestError(string.Join('\n', violations.Select(violation => violation.Description)), violations);
        }

        if ((GeminiContentsValidator.Validate(root) ?? GeminiToolsValidator.Validate(root) ?? GeminiGenerationConfig.Validate(root))
            is { } semantic)
        {
            return new GeminiRequestError(semantic);
        }

        SimulatorScript? script;
        try
        {
            script = ScriptLocator.Resolve(body, root, provider);
        }
        catch (ScriptFormatException ex)
        {
            return new GeminiRequestError(ex.Message, [new GeminiFieldViolation("simulator", ex.Message)]);
        }

        var generation = new GenerationRequest(
            GeminiPromptTokens.Measure(root),
            GeminiGenerationConfig.MaxOutputTokens(root),
            GeminiGenerationConfig.StopSequences(root),
            GeminiToolsValidator.ForcedTool(root),
            toolIdPrefix: "call_"); // Gemini function calls carry no id; the planner's ids are never written.
        request = new GeminiRequest(generation, GeminiGenerationConfig.CandidateCount(root), script);
        return null;
    }

    private static List<GeminiFieldViolation> CheckStructure(JsonElement root)
    {
        var violations = new List<GeminiFieldViolation>();
        GeminiFields.CheckNames(root, string.Empty, TopLevelNames, violations);
        if (GeminiFields.TryGet(root, "contents", out var contents) && contents.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var content in contents.EnumerateArray())
            {
                GeminiContentsValidator.CheckNames(content, $"contents[{index++}]", violations);
            }
        }

        if (GeminiFields.TryGet(root, "systemInstruction", out var system))
        {
            GeminiContentsValidator.CheckNames(system, "system_instruction", violations);
        }

        GeminiToolsValidator.CheckStructure(root, violations);
        GeminiGenerationConfig.CheckStructure(root, violations);
        return violations;
    }
}
