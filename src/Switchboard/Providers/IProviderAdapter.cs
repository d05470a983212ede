using System.Buffers;
using Switchboard.Catalog;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers;

/// <summary>
/// The seam between the protocol-neutral core and one wire protocol. The core routes, falls back, streams,
/// keeps time and writes errors; an adapter only builds the upstream request and translates what comes back
/// into OpenAI chat completion shapes stamped with the gateway's identity.
/// </summary>
internal interface IProviderAdapter
{
    /// <summary>The catalog's <c>protocol</c> value this adapter speaks, e.g. <c>openai</c>.</summary>
    string Protocol { get; }

    UpstreamRequest CreateRequest(ChatRequest request, CatalogEndpoint endpoint, ProviderRuntime provider);

    /// <summary>
    /// The most output tokens the provider may bill for this request on this endpoint: the output limit the request
    /// it is sent carries (or the limit the provider applies without one), for every choice it generates. The
    /// credit hold is priced from it, so it must follow exactly what <see cref="CreateRequest"/> sends.
    /// </summary>
    long OutputAllowance(ChatRequest request, CatalogEndpoint endpoint);

    /// <summary>
    /// Translates a successful non-streaming body into an OpenAI <c>chat.completion</c> written to <paramref name="output"/>,
    /// without <c>usage</c>: the adapter returns the counts and the core appends the priced usage object.
    /// The request is at hand because a translation may depend on it (e.g. JSON output requested through a forced tool).
    /// On failure, anything written to <paramref name="output"/> is discarded.
    /// </summary>
    CompletionResult TranslateCompletion(ChatRequest request, ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output);

    IChatStreamTranslator CreateStreamTranslator(ChatRequest request, ResponseIdentity identity);

    /// <summary>Describes an upstream error response (status not 2xx) in the provider's own terms.</summary>
    UpstreamFailure ReadError(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds);
}

/// <summary>What every chunk and response says about itself: our id, the model actually used, who served it.</summary>
internal sealed record ResponseIdentity(string GenerationId, string Model, string Provider, long Created);

/// <summary>
/// The outcome of translating a non-streaming response: usage on success, or why the body was unusable. An adapter
/// that counted the generated text while writing the completion returns it in <see cref="Text"/>; otherwise the
/// core reads the completion for it.
/// </summary>
internal readonly record struct CompletionResult(TokenUsage? Usage, string? FinishReason, UpstreamFailure? Failure, GeneratedTextCount? Text = null)
{
    public static CompletionResult Failed(UpstreamFailure failure) => new(null, null, failure);
}
