using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Infrastructure;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// OpenAI's Chat Completions protocol, spoken by OpenAI and most hosts (Groq, Together, DeepInfra, Fireworks,
/// Mistral, DeepSeek, xAI, Ollama, vLLM, llama.cpp, OpenRouter). Requests are spliced, responses re-stamped.
/// </summary>
internal sealed class OpenAICompatibleAdapter : IProviderAdapter, IEmbeddingsProvider
{
    private readonly ConcurrentDictionary<Uri, Uri> _embeddingsUrls = new();
    private readonly ConcurrentDictionary<Uri, Uri> _chatCompletionsUrls = new();

    public string Protocol => "openai";

    public UpstreamRequest CreateRequest(ChatRequest request, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = OpenAIRequestWriter.Write(request, endpoint.EncodedUpstreamModel);
        var buffer = body.Detach(out var length);
        var message = new HttpRequestMessage(HttpMethod.Post, _chatCompletionsUrls.GetOrAdd(provider.BaseUrl, ChatCompletionsUrl))
        {
            Content = UpstreamHeaders.JsonBody(buffer, length),
        };
        UpstreamHeaders.Accept(message, request.Stream);
        if (provider.Credential is { } credential)
        {
            message.Headers.TryAddWithoutValidation("Authorization", credential.BearerAuthorization);
        }
        return new UpstreamRequest(message, buffer);
    }

    /// <remarks>
    /// The body goes upstream verbatim, so any of its output limits may be the one obeyed: the largest, for each of
    /// <c>n</c> choices, plus the prediction, whose rejected tokens are billed as output.
    /// </remarks>
    public long OutputAllowance(ChatRequest request, CatalogEndpoint endpoint) =>
        OutputLimit.PerChoice(request.LargestOutputLimit, endpoint) * request.Choices + request.PredictionBytes;

    public CompletionResult TranslateCompletion(ChatRequest request, ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output)
    {
        OpenAIResponseShape shape;
        try
        {
            var writer = ThreadJsonWriter.Over(output);
            shape = OpenAIResponseRewriter.Rewrite(body, identity, writer);
            writer.Flush();
        }
        catch (JsonException)
        {
            shape = default;
        }
        if (!shape.IsObject || shape.Choices == 0 && shape.Error is null)
        {
            return CompletionResult.Failed(new UpstreamFailure(
                FailureKind.InvalidResponse, "The provider returned a response that is not a chat completion.", Raw: OpenAIErrors.Text(body)));
        }
        if (shape.Error is { } error)
        {
            return CompletionResult.Failed(OpenAIErrors.FromInBandError(body[error], body));
        }
        var usage = shape.Usage is { } range ? TokenUsage.Parse(body[range]) : null;
        return new CompletionResult(usage, shape.FinishReason, null, shape.Text);
    }

    public IChatStreamTranslator CreateStreamTranslator(ChatRequest request, ResponseIdentity identity) => new OpenAIStreamTranslator(identity);

    public UpstreamFailure ReadError(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds) =>
        OpenAIErrors.FromResponse(status, body, retryAfterSeconds);

    /// <summary>Every request an OpenAI-compatible host embeds: text and token ids alike.</summary>
    public string? Unsupported(EmbeddingsRequest request) => null;

    public UpstreamRequest CreateEmbeddingsRequest(EmbeddingsRequest request, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = OpenAIEmbeddings.Write(request, endpoint.EncodedUpstreamModel);
        var buffer = body.Detach(out var length);
        var message = new HttpRequestMessage(HttpMethod.Post, _embeddingsUrls.GetOrAdd(provider.BaseUrl, EmbeddingsUrl))
        {
            Content = UpstreamHeaders.JsonBody(buffer, length),
        };
        UpstreamHeaders.Accept(message, stream: false);
        if (provider.Credential is { } credential)
        {
            message.Headers.TryAddWithoutValidation("Authorization", credential.BearerAuthorization);
        }
        return new UpstreamRequest(message, buffer);
    }

    public EmbeddingsResult ReadEmbeddings(EmbeddingsRequest request, ReadOnlySpan<byte> body, Utf8JsonWriter data) =>
        OpenAIEmbeddings.Read(request, body, data);

    private static Uri EmbeddingsUrl(Uri baseUrl) => new(baseUrl.AbsoluteUri.TrimEnd('/') + "/embeddings");

    // Base URLs are written with or without a trailing slash; both must give …/v1/chat/completions.
    private static Uri ChatCompletionsUrl(Uri baseUrl) => new(baseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions");
}
