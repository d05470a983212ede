using System.Text.Json;

namespace Switchboard.Simulator.Scripting;

/// <summary>
/// Finds a request's script: the top-level <c>"simulator"</c> object, or else the last string value (depth-first,
/// document order) that embeds one between <c>&lt;simulator&gt;</c> and <c>&lt;/simulator&gt;</c>. The embedded form
/// exists because a gateway translating OpenAI requests into Anthropic or Gemini bodies keeps message text but drops
/// unknown top-level fields. The last marker wins so that, in a multi-turn conversation, the newest message scripts
/// the answer while earlier turns (with their own scripts) ride along as history.
/// </summary>
internal static class ScriptLocator
{
    private const string Open = "<simulator>";
    private const string Close = "</simulator>";

    /// <returns>null when the request carries no script.</returns>
    /// <exception cref="ScriptFormatException">The script is not well-formed.</exception>
    public static SimulatorScript? Resolve(ReadOnlySpan<byte> body, JsonElement root, string provider)
    {
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("simulator", out var topLevel)
            && topLevel.ValueKind != JsonValueKind.Null)
        {
            return SimulatorScriptParser.Parse(topLevel, provider);
        }

        // JSON encoders may escape '<' but never ASCII letters, so a body without the word has no marker either;
        // this keeps the walk off the unscripted path the load benchmark measures.
        if (body.IndexOf("simulator"u8) < 0 || FindMarked(root) is not { } embedded)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(embedded);
        }
        catch (JsonException ex)
        {
            throw new ScriptFormatException(
                $"Invalid simulator script: the text between {Open} and {Close} is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            return SimulatorScriptParser.Parse(document.RootElement, provider);
        }
    }

    private static string? FindMarked(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Extract(element.GetString()!);
            case JsonValueKind.Object:
                return element.EnumerateObject().Select(p => FindMarked(p.Value)).LastOrDefault(found => found is not null);
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FindMarked).LastOrDefault(found => found is not null);
            default:
                return null;
        }
    }

    private static string? Extract(string text)
    {
        var start = text.IndexOf(Open, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Open.Length;
        var end = text.IndexOf(Close, start, StringComparison.Ordinal);
        return end >= 0
            ? text[start..end]
            : throw new ScriptFormatException($"Invalid simulator script: {Open} without a closing {Close}.");
    }
}
