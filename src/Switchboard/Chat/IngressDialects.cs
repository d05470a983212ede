using Switchboard.Api;
using Switchboard.Completions;
using Switchboard.Generations;
using Switchboard.Infrastructure;
using Switchboard.Messages;
using Switchboard.Requests;
using Switchboard.Responses;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>
/// The three places the pipeline meets a client's dialect: its body translated to the internal form (step 2), its
/// stream written in its own events, and a finished completion rewritten in its own shape. Chat completions is the
/// internal form, so it passes through all three untouched.
/// </summary>
internal static class IngressDialects
{
    /// <summary>
    /// The dialect's body as a chat request, or null when the body already is one. False, with an error in the
    /// caller's terms, when it cannot be translated.
    /// </summary>
    public static bool TryTranslate(IngressDialect dialect, ReadOnlyMemory<byte> body, out PooledBufferWriter? chatBody, out ApiError? error)
    {
        switch (dialect)
        {
            case IngressDialect.Messages:
                return MessagesRequestReader.TryTranslate(body, out chatBody, out error);
            case IngressDialect.Completions:
                return CompletionsRequestReader.TryTranslate(body, out chatBody, out error);
            case IngressDialect.Responses:
                return ResponsesRequestReader.TryTranslate(body, out chatBody, out error);
            default:
                (chatBody, error) = (null, null);
                return true;
        }
    }

    /// <summary>Records on the parsed request what its dialect brings beyond the internal form.</summary>
    public static void Attach(IngressDialect dialect, ChatRequest request, ReadOnlyMemory<byte> clientBody, HttpRequest http)
    {
        request.Dialect = dialect;
        if (dialect == IngressDialect.Messages)
        {
            request.Messages = new MessagesIngress(clientBody, MessagesRequestReader.Beta(http));
        }
        if (dialect != IngressDialect.ChatCompletions)
        {
            request.ClientBody = clientBody;
        }
    }

    /// <summary>Makes a stream leave in the dialect's events; <paramref name="clientBody"/> is the client's own request.</summary>
    public static void Speak(IngressDialect dialect, ChunkWriter chunks, ReadOnlyMemory<byte> clientBody, TimeProvider time)
    {
        switch (dialect)
        {
            case IngressDialect.Messages:
                chunks.Speak(output => new MessagesEventWriter(output));
                break;
            case IngressDialect.Completions:
                chunks.Speak(output => new CompletionsEventWriter(output));
                break;
            case IngressDialect.Responses:
                // A response repeats the request's settings, read once here rather than on every event.
                var echo = ResponsesEcho.From(clientBody.Span);
                chunks.Speak(output => new ResponsesEventWriter(output, echo, time));
                break;
        }
    }

    /// <summary>
    /// A finished completion (OpenRouter's shape, usage included) in the dialect's shape: the same buffer for chat
    /// completions, a new one for another dialect, or null when the completion could not be rewritten.
    /// </summary>
    public static PooledBufferWriter? Rewrite(IngressDialect dialect, PooledBufferWriter completion, ReadOnlyMemory<byte> clientBody, TimeProvider time)
    {
        if (dialect == IngressDialect.ChatCompletions)
        {
            return completion;
        }
        var rewritten = new PooledBufferWriter(completion.WrittenCount + 256);
        var written = dialect switch
        {
            IngressDialect.Messages => MessagesResponseWriter.TryWrite(completion.WrittenSpan, rewritten),
            IngressDialect.Completions => CompletionsResponseWriter.TryWrite(completion.WrittenSpan, rewritten),
            IngressDialect.Responses => ResponsesResponseWriter.TryWrite(completion.WrittenSpan, rewritten, ResponsesEcho.From(clientBody.Span), time.GetUtcNow().ToUnixTimeSeconds()),
            _ => false,
        };
        if (written)
        {
            return rewritten;
        }
        rewritten.Dispose();
        return null;
    }

    /// <summary>The API a generation's record names.</summary>
    public static string RecordedApi(IngressDialect dialect) => dialect switch
    {
        IngressDialect.Messages => GenerationApi.Messages,
        IngressDialect.Completions => GenerationApi.Completions,
        IngressDialect.Responses => GenerationApi.Responses,
        IngressDialect.Embeddings => GenerationApi.Embeddings,
        _ => GenerationApi.ChatCompletions,
    };
}
