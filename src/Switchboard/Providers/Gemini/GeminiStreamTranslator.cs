using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's <c>alt=sse</c> stream as OpenAI chunks. Every event is a whole <c>GenerateContentResponse</c> holding the
/// next fragment of each candidate; a <c>functionCall</c> arrives complete in one event; <c>usageMetadata</c> is
/// cumulative and repeated, so the last one counts. There is no <c>[DONE]</c>: a <c>finishReason</c> followed by the
/// end of the connection is a finished generation, an end without one a truncated stream.
/// </summary>
internal sealed class GeminiStreamTranslator(ResponseIdentity identity) : IChatStreamTranslator
{
    private readonly List<ChoiceState> _choices = [];

    // Every event repeats the running counts; only the last is turned into usage JSON, when the core asks.
    private GeminiUsage? _usage;
    private TokenUsage? _tokenUsage;

    public TokenUsage? Usage => _tokenUsage ??= _usage?.ToTokenUsage();

    public string? FinishReason { get; private set; }

    public UpstreamFailure? Failure { get; private set; }

    public StreamStep OnEvent(in SseEvent sseEvent, ChunkWriter output)
    {
        if (sseEvent.Data.IsEmpty)
        {
            return StreamStep.Continue;
        }
        if (sseEvent.IsDone)
        {
            return OnEnd(output); // Gemini sends no [DONE], but a relay in front of it might
        }
        var document = JsonText.TryParse(sseEvent.Data.Span);
        if (document is null)
        {
            return Fail(new UpstreamFailure(FailureKind.InvalidResponse, "The provider sent a stream event that is not valid JSON.", Raw: OpenAIErrors.Text(sseEvent.Data.Span)));
        }
        using (document)
        {
            var root = document.RootElement;
            if (GeminiErrors.Error(root) is { } error)
            {
                return Fail(GeminiErrors.FromInBand(error, sseEvent.Data.Span));
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(new UpstreamFailure(FailureKind.InvalidResponse, "The provider sent a stream event that is not a GenerateContentResponse.", Raw: OpenAIErrors.Text(sseEvent.Data.Span)));
            }
            if (GeminiUsage.Read(root) is { } usage && usage != _usage)
            {
                _usage = usage; // the core sends usage once, at the end
                _tokenUsage = null;
            }
            var any = false;
            foreach (var (index, candidate) in GeminiResponsePart.Candidates(root))
            {
                Translate(candidate, State(index), output);
                any = true;
            }
            if (!any && GeminiErrors.Blocked(root, sseEvent.Data.Span) is { } blocked)
            {
                return Fail(blocked);
            }
        }
        return StreamStep.Continue;
    }

    public StreamStep OnEnd(ChunkWriter output)
    {
        if (_choices.Exists(c => c.Finished))
        {
            return StreamStep.Done;
        }
        return Fail(new UpstreamFailure(FailureKind.Truncated, "The provider closed the stream before the generation finished."));
    }

    private void Translate(JsonElement candidate, ChoiceState state, ChunkWriter output)
    {
        foreach (var element in GeminiResponsePart.Parts(candidate))
        {
            var part = GeminiResponsePart.Read(element);
            if (part.FunctionName is { } name)
            {
                Signature(state, part.Signature, output);
                Role(state, output);
                var id = part.CallId ?? GeminiToolCallIds.Create(identity.GenerationId, state.Index, state.ToolCalls);
                DeltaChunks.ToolCallStart(output, identity, state.ToolCalls++, id, name, part.Arguments!, state.Index);
            }
            else if (part.Thought)
            {
                if (!string.IsNullOrEmpty(part.Text) || !string.IsNullOrEmpty(part.Signature))
                {
                    Role(state, output);
                    DeltaChunks.Reasoning(output, identity, GeminiReasoningDetails.Entry(part.Text, NullIfEmpty(part.Signature), state.Detail), state.Index);
                    state.Detail += string.IsNullOrEmpty(part.Signature) ? 0 : 1;
                }
            }
            else
            {
                Signature(state, part.Signature, output);
                if (!string.IsNullOrEmpty(part.Text))
                {
                    Role(state, output);
                    DeltaChunks.Content(output, identity, part.Text, state.Index);
                }
            }
        }
        if (GeminiRequestWriter.String(candidate, "finishReason") is { } native && !state.Finished)
        {
            Role(state, output);
            DeltaChunks.Finish(output, identity, GeminiFinishReasons.Map(native, state.ToolCalls > 0), native, state.Index);
            state.Finished = true;
            FinishReason ??= native;
        }
    }

    /// <summary>A signature on a text or call part: closes the reasoning entry in progress, as the non-streamed form does.</summary>
    private void Signature(ChoiceState state, string? signature, ChunkWriter output)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return;
        }
        Role(state, output);
        DeltaChunks.Reasoning(output, identity, GeminiReasoningDetails.Entry(null, signature, state.Detail++), state.Index);
    }

    private void Role(ChoiceState state, ChunkWriter output)
    {
        if (!state.RoleSent)
        {
            DeltaChunks.Role(output, identity, state.Index);
            state.RoleSent = true;
        }
    }

    private ChoiceState State(int index)
    {
        var state = _choices.Find(c => c.Index == index);
        if (state is null)
        {
            state = new ChoiceState(index);
            _choices.Add(state);
        }
        return state;
    }

    private StreamStep Fail(UpstreamFailure failure)
    {
        Failure = failure;
        return StreamStep.Failed;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class ChoiceState(int index)
    {
        public int Index { get; } = index;
        public bool RoleSent { get; set; }
        public int ToolCalls { get; set; }

        /// <summary>The <c>reasoning_details</c> index the next fragment belongs to.</summary>
        public int Detail { get; set; }
        public bool Finished { get; set; }
    }
}
