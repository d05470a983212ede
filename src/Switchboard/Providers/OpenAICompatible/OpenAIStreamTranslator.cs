using System.Text.Json;
using Switchboard.Streaming;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// An OpenAI-compatible stream is already in the client's format: each chunk is re-stamped and forwarded as soon
/// as it arrives; usage is held back for the single final usage chunk; an in-band <c>error</c> ends the stream.
/// Each event is read once: the rewrite that re-stamps it also finds its error, usage and text.
/// </summary>
internal sealed class OpenAIStreamTranslator(ResponseIdentity identity) : IChatStreamTranslator
{
    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    public UpstreamFailure? Failure { get; private set; }

    public StreamStep OnEvent(in SseEvent sseEvent, ChunkWriter output)
    {
        if (sseEvent.IsDone)
        {
            return StreamStep.Done;
        }
        var data = sseEvent.Data.Span;
        OpenAIResponseShape shape;
        try
        {
            shape = OpenAIResponseRewriter.Rewrite(data, identity, output.Begin());
        }
        catch (JsonException)
        {
            shape = default;
        }
        if (!shape.IsObject)
        {
            Failure = new UpstreamFailure(FailureKind.InvalidResponse, "The provider sent a stream event that is not valid JSON.", Raw: OpenAIErrors.Text(data));
            return StreamStep.Failed;
        }
        if (shape.Error is { } error)
        {
            Failure = OpenAIErrors.FromInBandError(data[error], data);
            return StreamStep.Failed;
        }
        if (shape.Usage is { } usage)
        {
            Usage = TokenUsage.Parse(data[usage]);
            if (shape.Choices == 0)
            {
                return StreamStep.Continue; // the core sends usage once, at the end
            }
        }

        output.End(shape.Text);
        FinishReason ??= shape.FinishReason;
        return StreamStep.Continue;
    }

    public StreamStep OnEnd(ChunkWriter output)
    {
        // Some hosts close without [DONE]; a finish reason shows the generation itself ended.
        if (FinishReason is not null)
        {
            return StreamStep.Done;
        }
        Failure = new UpstreamFailure(FailureKind.Truncated, "The provider closed the stream before the generation finished.");
        return StreamStep.Failed;
    }
}
