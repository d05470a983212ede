namespace Switchboard.Streaming;

/// <summary>
/// One server-sent event. The memory points into the reader's buffer and is valid only until the reader's
/// next fill, so translators must finish with an event before asking for the next batch.
/// </summary>
internal readonly record struct SseEvent(ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Data)
{
    public bool IsDone => Data.Span.SequenceEqual("[DONE]"u8);
}
