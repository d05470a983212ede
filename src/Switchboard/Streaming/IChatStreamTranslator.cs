using Switchboard.Providers;

namespace Switchboard.Streaming;

internal enum StreamStep
{
    Continue,

    /// <summary>The upstream finished the generation.</summary>
    Done,

    /// <summary>The upstream reported an error or sent something unreadable; see <see cref="IChatStreamTranslator.Failure"/>.</summary>
    Failed,
}

/// <summary>
/// Turns one upstream stream into OpenAI <c>chat.completion.chunk</c> events as they arrive. Usage is kept,
/// not forwarded: the core sends it once, at the end, in the final chunk.
/// </summary>
internal interface IChatStreamTranslator
{
    StreamStep OnEvent(in SseEvent sseEvent, ChunkWriter output);

    /// <summary>The upstream closed the stream; decide whether that was a proper end.</summary>
    StreamStep OnEnd(ChunkWriter output);

    TokenUsage? Usage { get; }

    string? FinishReason { get; }

    UpstreamFailure? Failure { get; }
}
