using System.Text.Json;

namespace Switchboard.Streaming;

/// <summary>
/// Watches the chunks (or the completion) sent to the client for what was generated: how many bytes of text
/// (content, reasoning, refusals, tool calls) and the last finish reasons. When a provider never reports usage,
/// as when a stream is cut off, the text is what the output tokens are estimated from.
/// </summary>
internal sealed class GeneratedText
{
    public long Bytes { get; private set; }
    public string? FinishReason { get; private set; }
    public string? NativeFinishReason { get; private set; }

    /// <summary>Reads one <c>chat.completion</c> or <c>chat.completion.chunk</c>.</summary>
    public void Observe(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                {
                    ObserveChoices(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Only our own output is observed; a fragment that does not parse simply adds nothing.
        }
    }

    private void ObserveChoices(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    Bytes += TextBytes(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    FinishReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : FinishReason;
                }
                else if (reader.ValueTextEquals("native_finish_reason"u8))
                {
                    reader.Read();
                    NativeFinishReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : NativeFinishReason;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>Bytes of every string in a delta or message, except identifiers and signatures, which are not generated text.</summary>
    private static long TextBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        long bytes = 0;
        var depth = reader.CurrentDepth;
        var skipNext = false;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                skipNext = reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("id"u8)
                    || reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("format"u8);
            }
            else if (reader.TokenType == JsonTokenType.String && !skipNext)
            {
                bytes += reader.ValueSpan.Length;
            }
        }
        return bytes;
    }
}
