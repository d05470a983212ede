using System.Text.Json;
using Switchboard.Providers.Translation;
using Switchboard.Requests;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Claude's thinking as OpenRouter exposes it: <c>reasoning_details</c> entries in the
/// <c>anthropic-claude-v1</c> format. Going back, the entries of one block (streamed clients may send the text and
/// the signature as separate fragments of the same index) are joined into the signed block Claude expects.
/// </summary>
internal static class AnthropicThinking
{
    public const string Format = "anthropic-claude-v1";

    public static void WriteBlocks(Utf8JsonWriter json, JsonElement details)
    {
        // A summary (another model's, or a Responses client's) is no thinking block: Claude refuses thinking whose
        // signature it did not issue, so only its own format's entries, or unlabelled text and data, go back.
        foreach (var block in details.EnumerateArray()
                     .Where(d => d.ValueKind == JsonValueKind.Object && (!d.TryGetProperty("format", out var f) || JsonElements.IsString(f, Format))
                         && JsonElements.String(d, "type") != "reasoning.summary")
                     .GroupBy(d => JsonElements.Int32(d, "index") ?? 0))
        {
            var text = string.Concat(block.Select(d => JsonElements.String(d, "text")));
            var signature = block.Select(d => JsonElements.String(d, "signature")).LastOrDefault(s => s is not null);
            var data = block.Select(d => JsonElements.String(d, "data")).LastOrDefault(x => x is not null);
            json.WriteStartObject();
            if (data is not null)
            {
                json.WriteString("type"u8, "redacted_thinking");
                json.WriteString("data"u8, data);
            }
            else
            {
                json.WriteString("type"u8, "thinking");
                json.WriteString("thinking"u8, text);
                json.WriteString("signature"u8, signature ?? "");
            }
            json.WriteEndObject();
        }
    }

    public static ReasoningDetail Text(string? text, string? signature, int index) =>
        new(ReasoningDetail.TextType, text, signature, null, Format, index);

    public static ReasoningDetail Redacted(string data, int index) =>
        new(ReasoningDetail.EncryptedType, null, null, data, Format, index);
}
