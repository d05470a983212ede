using System.Text;
using System.Text.Json;

namespace Switchboard.Responses;

/// <summary>
/// What a chat answer reasoned, as a Responses <c>reasoning</c> item has it: the readable reasoning (the gateway's
/// <c>reasoning.text</c> and <c>reasoning.summary</c> entries, or the plain <c>reasoning</c> text) as its summary, and
/// a provider's encrypted reasoning (<c>reasoning.encrypted</c>) as <c>encrypted_content</c>, which the client may
/// send back in a later turn.
/// </summary>
internal static class ResponsesReasoning
{
    /// <summary>Reads a message's or a delta's reasoning; false when it has none.</summary>
    public static bool TryRead(JsonElement carrier, out string summary, out string? encrypted)
    {
        var text = new StringBuilder();
        encrypted = null;
        if (ResponsesJson.TryGetValue(carrier, "reasoning_details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in details.EnumerateArray())
            {
                switch (ResponsesJson.String(entry, "type"))
                {
                    case "reasoning.text":
                        text.Append(ResponsesJson.String(entry, "text"));
                        break;
                    case "reasoning.summary":
                        text.Append(ResponsesJson.String(entry, "summary"));
                        break;
                    case "reasoning.encrypted" when ResponsesJson.String(entry, "data") is { Length: > 0 } data:
                        encrypted = encrypted is null ? data : encrypted + data;
                        break;
                }
            }
        }
        if (text.Length == 0 && ResponsesJson.String(carrier, "reasoning") is { Length: > 0 } reasoning)
        {
            text.Append(reasoning);
        }
        summary = text.ToString();
        return summary.Length > 0 || encrypted is not null;
    }
}
