using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Completions;

/// <summary>
/// The gateway's <c>chat.completion</c> as a legacy <c>text_completion</c>: each choice's message text becomes the
/// choice's <c>text</c>; usage (with its cost), <c>system_fingerprint</c> and routing metadata are kept as they are.
/// </summary>
internal static class CompletionsResponseWriter
{
    /// <summary>A complete chat completion (usage included) → a text completion.</summary>
    /// <returns>
    /// False, with nothing written, for a completion that cannot become one: not JSON, no choices, a choice without a
    /// message or with content of the wrong type. The caller treats that as an invalid upstream response. Writes
    /// through <see cref="ThreadJsonWriter"/>.
    /// </returns>
    public static bool TryWrite(ReadOnlySpan<byte> completion, IBufferWriter<byte> output)
    {
        using var document = JsonText.TryParse(completion);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || !JsonValues.TryGetValue(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return false;
        }
        // Everything that can fail is read before anything is written.
        var texts = new string[choices.GetArrayLength()];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!JsonValues.TryGetValue(choices[i], "message", out var message) || Text(message) is not { } text)
            {
                return false;
            }
            texts[i] = text;
        }
        var json = ThreadJsonWriter.Over(output);
        TextCompletionJson.WriteHeader(json, root);
        if (JsonValues.String(root, "system_fingerprint") is { } fingerprint)
        {
            json.WriteString("system_fingerprint"u8, fingerprint);
        }
        json.WriteStartArray("choices"u8);
        for (var i = 0; i < texts.Length; i++)
        {
            TextCompletionJson.WriteChoice(json, texts[i], TextCompletionJson.Index(choices[i], i), choices[i]);
        }
        json.WriteEndArray();
        TextCompletionJson.Copy(json, root, "usage");
        TextCompletionJson.Copy(json, root, "openrouter_metadata");
        json.WriteEndObject();
        json.Flush();
        return true;
    }

    /// <summary>The message's text: <c>content</c> as a string or text parts; a refusal when that is all there is; null when unreadable.</summary>
    private static string? Text(JsonElement message)
    {
        var text = "";
        if (JsonValues.TryGetValue(message, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString()!;
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var joined = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    joined.Append(JsonValues.String(part, "text"));
                }
                text = joined.ToString();
            }
            else
            {
                return null;
            }
        }
        return text.Length == 0 && JsonValues.String(message, "refusal") is { Length: > 0 } refusal ? refusal : text;
    }
}
