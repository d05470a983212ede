using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// An assistant message as a Gemini <c>model</c> turn: text, then one <c>functionCall</c> part per tool call, with
/// the thought signatures the client kept in <c>reasoning_details</c> put back where Gemini expects them.
/// </summary>
internal static class GeminiModelTurn
{
    /// <summary>The <c>reasoning_details</c> format this adapter writes, and the only one whose signatures Gemini can check.</summary>
    public const string DetailFormat = "google-gemini-v1";

    /// <summary>
    /// Google's documented stand-in for a signature that was never received (history written by another model or
    /// a client that dropped <c>reasoning_details</c>). Without any signature Gemini 3 answers 400 for the turn's calls.
    /// </summary>
    public const string SkipSignatureValidation = "skip_thought_signature_validator";

    public static List<GeminiPart> Parts(JsonElement message, JsonElement content, Dictionary<string, string> callNames)
    {
        var parts = new List<GeminiPart>();
        if (GeminiConversation.Text(content) is { Length: > 0 } text)
        {
            parts.Add(GeminiPart.Text(text));
        }
        var firstCall = parts.Count;
        if (JsonElements.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (!JsonElements.TryGetObject(call, "function", out var function) || GeminiRequestWriter.String(function, "name") is not { } name)
                {
                    continue;
                }
                var id = GeminiRequestWriter.String(call, "id");
                if (id is not null)
                {
                    callNames[id] = name;
                }
                parts.Add(GeminiPart.Call(name, GeminiRequestWriter.String(function, "arguments"), id));
            }
        }
        // The legacy single function_call, from clients older than tool_calls.
        if (JsonElements.TryGet(message, "function_call", out var legacy) && GeminiRequestWriter.String(legacy, "name") is { } legacyName)
        {
            parts.Add(GeminiPart.Call(legacyName, GeminiRequestWriter.String(legacy, "arguments"), null));
        }
        PlaceSignatures(parts, firstCall, Signatures(message));
        return parts;
    }

    /// <summary>
    /// Gemini puts a signature on the first <c>functionCall</c> of each step (and, without calls, on a text part). The
    /// OpenAI message no longer says which part carried which signature, so they go back in order onto the calls,
    /// or onto the first text part when the turn has none.
    /// </summary>
    private static void PlaceSignatures(List<GeminiPart> parts, int firstCall, List<string> signatures)
    {
        var callCount = parts.Count - firstCall;
        if (callCount == 0)
        {
            if (signatures.Count > 0 && parts.Count > 0)
            {
                parts[0].ThoughtSignature = signatures[0];
            }
            return;
        }
        for (var i = 0; i < Math.Min(callCount, signatures.Count); i++)
        {
            parts[firstCall + i].ThoughtSignature = signatures[i];
        }
        parts[firstCall].ThoughtSignature ??= SkipSignatureValidation;
    }

    /// <summary>Signatures from OpenRouter-style <c>reasoning_details</c>: <c>signature</c>, or <c>data</c> on an encrypted entry.</summary>
    private static List<string> Signatures(JsonElement message)
    {
        var signatures = new List<string>();
        if (!JsonElements.TryGet(message, "reasoning_details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return signatures;
        }
        foreach (var detail in details.EnumerateArray())
        {
            if (GeminiRequestWriter.String(detail, "format") != DetailFormat)
            {
                continue; // another provider's signature would fail Gemini's check
            }
            var signature = GeminiRequestWriter.String(detail, "signature")
                ?? (GeminiRequestWriter.String(detail, "type") == ReasoningDetail.EncryptedType ? GeminiRequestWriter.String(detail, "data") : null);
            if (!string.IsNullOrEmpty(signature))
            {
                signatures.Add(signature);
            }
        }
        return signatures;
    }
}
