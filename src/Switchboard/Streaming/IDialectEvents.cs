namespace Switchboard.Streaming;

/// <summary>
/// A stream in a client's own dialect, written from the gateway's OpenAI chunks as each arrives (Anthropic's events
/// for the Messages API). Set on <see cref="ChunkWriter"/> before the first chunk; the stream then ends with the
/// dialect's own terminal event instead of <c>[DONE]</c>, unless the dialect ends with it too (<see cref="WriteDone"/>).
/// </summary>
internal interface IDialectEvents
{
    /// <summary>One chunk's JSON (never "[DONE]"), including the gateway's own error chunk; writes zero or more complete events.</summary>
    void OnChunk(ReadOnlySpan<byte> chunk);

    /// <summary>The client already has the dialect's opening event (a provider's own, passed through).</summary>
    void MarkStarted();

    /// <summary>What a quiet stream sends so that clients keep waiting, in a form the dialect's clients skip.</summary>
    void WriteKeepAlive();

    /// <summary>
    /// The end of a complete stream, after its usage chunk: nothing for a dialect whose own terminal event went out
    /// with that chunk (Anthropic's <c>message_stop</c>); <c>[DONE]</c> for one that ends as OpenAI's streams do.
    /// </summary>
    void WriteDone()
    {
    }
}
