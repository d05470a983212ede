using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Streaming;

namespace Switchboard.Completions;

/// <summary>
/// The gateway's chat stream as legacy completion events, written as each chunk arrives: every event is a
/// <c>text_completion</c> object (the legacy stream has one shape, whole or streamed) whose choices carry the new
/// text; the usage chunk and the gateway's error chunk keep their places and their <c>usage</c> and <c>error</c>;
/// the stream ends with <c>data: [DONE]</c>, as OpenAI's does.
/// </summary>
/// <remarks>
/// A chunk that carries no text, no finish reason, no usage and no error (the opening role chunk, reasoning) has
/// nothing a legacy client reads, so nothing is written for it. Writes through <see cref="ThreadJsonWriter"/>.
/// </remarks>
internal sealed class CompletionsEventWriter(IBufferWriter<byte> output) : IDialectEvents
{
    private bool _ended;

    public void OnChunk(ReadOnlySpan<byte> chunk)
    {
        if (_ended)
        {
            return;
        }
        using var document = JsonText.TryParse(chunk);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }
        var hasError = JsonValues.TryGetValue(root, "error", out _);
        var hasUsage = JsonValues.TryGetValue(root, "usage", out _);
        JsonValues.TryGetValue(root, "choices", out var choices);
        var choiceList = choices.ValueKind == JsonValueKind.Array ? choices : default;
        if (!hasError && !hasUsage && !HasAnswer(choiceList))
        {
            return;
        }
        output.Write("data: "u8);
        var json = ThreadJsonWriter.Over(output);
        TextCompletionJson.WriteHeader(json, root);
        TextCompletionJson.Copy(json, root, "error");
        json.WriteStartArray("choices"u8);
        if (choiceList.ValueKind == JsonValueKind.Array)
        {
            var position = 0;
            foreach (var choice in choiceList.EnumerateArray())
            {
                if (Text(choice) is { } text)
                {
                    TextCompletionJson.WriteChoice(json, text, TextCompletionJson.Index(choice, position), choice);
                }
                position++;
            }
        }
        json.WriteEndArray();
        TextCompletionJson.Copy(json, root, "usage");
        TextCompletionJson.Copy(json, root, "openrouter_metadata");
        json.WriteEndObject();
        json.Flush();
        output.Write("\n\n"u8);
        // The gateway's error chunk is the stream's last word: no [DONE] after it, so no client takes it for complete.
        _ended = hasError;
    }

    /// <summary>A legacy stream never passes through a provider's own events; nothing to remember.</summary>
    public void MarkStarted()
    {
    }

    /// <summary>An SSE comment, as on the chat path: OpenAI's SDKs skip it.</summary>
    public void WriteKeepAlive()
    {
        if (!_ended)
        {
            output.Write(": "u8);
            output.Write(SseResponse.KeepAlive);
            output.Write("\n\n"u8);
        }
    }

    public void WriteDone()
    {
        if (!_ended)
        {
            output.Write("data: [DONE]\n\n"u8);
            _ended = true;
        }
    }

    private static bool HasAnswer(JsonElement choices)
    {
        if (choices.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var choice in choices.EnumerateArray())
        {
            if (Text(choice) is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The choice's new text (empty when it only ends), or null when the choice has nothing for a legacy client.</summary>
    private static string? Text(JsonElement choice)
    {
        JsonValues.TryGetValue(choice, "delta", out var delta);
        var text = JsonValues.String(delta, "content") is { Length: > 0 } content ? content
            : JsonValues.String(delta, "refusal") is { Length: > 0 } refusal ? refusal
            : "";
        return text.Length > 0 || JsonValues.String(choice, "finish_reason") is not null ? text : null;
    }
}
