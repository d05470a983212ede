using System.Buffers.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// Reasoning a provider needs back verbatim, carried through a Responses <c>reasoning</c> item. A Claude thinking
/// block must return with its signature on the next turn (Claude refuses a tool-use turn whose thinking lost it), and
/// a Responses item has no field for one; so when an answer's <c>reasoning_details</c> carry a signature, the item's
/// <c>encrypted_content</c> is this gateway's own envelope of those entries (<see cref="Prefix"/> then base64url of
/// their JSON array), opaque to the client as OpenAI's is, and unwrapped into the same entries when the item comes back.
/// </summary>
internal static class ResponsesReasoningEnvelope
{
    public const string Prefix = "swb-reasoning-v1:";

    /// <summary>The most entries an envelope may unwrap to; a thinking block streams as a few entries, not thousands.</summary>
    private const int MaxEntries = 4096;

    /// <summary>True when some entry carries a signature a provider will check (the entries must then go back whole).</summary>
    public static bool NeedsEnvelope(IEnumerable<JsonElement> details)
    {
        foreach (var entry in details)
        {
            if (JsonValues.String(entry, "signature") is { Length: > 0 })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The envelope of these <c>reasoning_details</c> entries, in order.</summary>
    public static string Wrap(IEnumerable<JsonElement> details)
    {
        using var buffer = new PooledBufferWriter(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var entry in details)
            {
                entry.WriteTo(json);
            }
            json.WriteEndArray();
        }
        return Prefix + Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The entries an envelope holds, as a JSON array of objects; false for anything else (then the content is some
    /// provider's own opaque reasoning and goes back as it is).
    /// </summary>
    public static bool TryUnwrap(string encrypted, out JsonDocument? entries)
    {
        entries = null;
        if (!encrypted.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        byte[] decoded;
        try
        {
            decoded = Base64Url.DecodeFromChars(encrypted.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var document = JsonText.TryParse(decoded);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Array } array
            || array.GetArrayLength() > MaxEntries
            || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            document?.Dispose();
            return false;
        }
        entries = document;
        return true;
    }
}
