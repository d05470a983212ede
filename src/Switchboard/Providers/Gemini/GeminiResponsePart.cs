using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// What one <c>Part</c> of a candidate's content says, in the terms the translation needs. Parts the gateway
/// cannot express in an OpenAI message (inline images, executable code) read as empty text and are skipped.
/// </summary>
internal readonly record struct GeminiResponsePart(string? Text, bool Thought, string? Signature, string? FunctionName, string? Arguments, string? CallId)
{
    public static GeminiResponsePart Read(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        var signature = GeminiRequestWriter.String(part, "thoughtSignature");
        if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
        {
            var arguments = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? Compact(args) : "{}";
            return new GeminiResponsePart(null, false, signature, GeminiRequestWriter.String(call, "name") ?? "", arguments, GeminiRequestWriter.String(call, "id"));
        }
        var thought = part.TryGetProperty("thought", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new GeminiResponsePart(GeminiRequestWriter.String(part, "text"), thought, signature, null, null, null);
    }

    /// <summary>
    /// The candidates of a <c>GenerateContentResponse</c> with their choice index: Gemini's <c>index</c>, which is
    /// omitted for the first candidate of some models, else the position.
    /// </summary>
    public static IEnumerable<(int Index, JsonElement Candidate)> Candidates(JsonElement response)
    {
        if (!JsonElements.TryGet(response, "candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        var position = 0;
        foreach (var candidate in candidates.EnumerateArray())
        {
            if (candidate.ValueKind != JsonValueKind.Object)
            {
                continue; // not a candidate: with none left, the response is one without candidates
            }
            var index = JsonElements.Int32(candidate, "index") ?? position;
            position++;
            yield return (index, candidate);
        }
    }

    /// <summary>A candidate's parts; none when it has no content (a safety stop, or a length stop spent on thinking).</summary>
    public static IEnumerable<JsonElement> Parts(JsonElement candidate) =>
        JsonElements.TryGetObject(candidate, "content", out var content)
            && JsonElements.TryGet(content, "parts", out var parts) && parts.ValueKind == JsonValueKind.Array
            ? parts.EnumerateArray()
            : [];

    /// <summary>Arguments as OpenAI sends them: a compact JSON string, whatever the indentation of the response.</summary>
    private static string Compact(JsonElement args)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GeminiRequestWriter.Options))
        {
            args.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
