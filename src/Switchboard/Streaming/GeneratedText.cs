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

    /// <summary>Adds what a writer counted as it wrote a chunk, sparing the chunk a second read.</summary>
    public void Add(in GeneratedTextCount count)
    {
        Bytes += count.Bytes;
        FinishReason = count.FinishReason ?? FinishReason;
        NativeFinishReason = count.NativeFinishReason ?? NativeFinishReason;
    }

    /// <summary>Reads one <c>chat.completion</c> or <c>chat.completion.chunk</c>.</summary>
    public void Observe(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (CompletionJson.SeekChoices(ref reader))
            {
                ObserveChoices(ref reader);
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
            bytes += CountToken(ref reader, ref skipNext);
        }
        return bytes;
    }

    /// <summary>
    /// One token of a delta or message: a property name decides whether the strings after it are generated text;
    /// a string that is counts its bytes as they stand in the JSON.
    /// </summary>
    public static int CountToken(ref Utf8JsonReader reader, ref bool skipNext)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            skipNext = IsNotText(ref reader);
            return 0;
        }
        return reader.TokenType == JsonTokenType.String && !skipNext ? reader.ValueSpan.Length : 0;
    }

    /// <summary>Properties whose values are identifiers, signatures or labels rather than generated text.</summary>
    public static bool IsNotText(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("id"u8)
        || reader.ValueTextEquals("signature"u8) || reader.ValueTextEquals("format"u8);
}

/// <summary>What one chunk or completion adds to a <see cref="GeneratedText"/>, counted by the code that wrote it.</summary>
internal record struct GeneratedTextCount(long Bytes, string? FinishReason, string? NativeFinishReason);
