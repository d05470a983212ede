using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// What a chat answer reasoned, as a Responses <c>reasoning</c> item has it: the readable reasoning (the gateway's
/// <c>reasoning.text</c> and <c>reasoning.summary</c> entries, or the plain <c>reasoning</c> text) as its summary, and
/// a provider's encrypted reasoning (<c>reasoning.encrypted</c>) as <c>encrypted_content</c>, which the client may
/// send back in a later turn; signed reasoning goes whole into <c>encrypted_content</c> (<see cref="ResponsesReasoningEnvelope"/>).
/// </summary>
internal static class ResponsesReasoning
{
    /// <summary>
    /// Reads a message's reasoning; false when it has none. A stream's deltas each carry a fragment, so the stream
    /// writer envelopes the fragments it collected itself (this reads a delta's text and opaque data only).
    /// </summary>
    public static bool TryRead(JsonElement carrier, out string summary, out string? encrypted, bool envelope = true)
    {
        var text = new StringBuilder();
        encrypted = null;
        if (JsonValues.TryGetValue(carrier, "reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            if (envelope && ResponsesReasoningEnvelope.NeedsEnvelope(details.EnumerateArray()))
            {
                // Signed reasoning (Claude's thinking) must come back whole: the entries travel in encrypted_content.
                encrypted = ResponsesReasoningEnvelope.Wrap(details.EnumerateArray());
            }
            foreach (var entry in details.EnumerateArray())
            {
                switch (JsonValues.String(entry, "type"))
                {
                    case "reasoning.text":
                        text.Append(JsonValues.String(entry, "text"));
                        break;
                    case "reasoning.summary":
                        text.Append(JsonValues.String(entry, "summary"));
                        break;
                    case "reasoning.encrypted" when JsonValues.String(entry, "data") is { Length: > 0 } data && encrypted?.StartsWith(ResponsesReasoningEnvelope.Prefix, StringComparison.Ordinal) != true:
                        encrypted = encrypted is null ? data : encrypted + data;
                        break;
                }
            }
        }
        if (text.Length == 0 && JsonValues.String(carrier, "reasoning") is { Length: > 0 } reasoning)
        {
            text.Append(reasoning);
        }
        summary = text.ToString();
        return summary.Length > 0 || encrypted is not null;
    }
}
