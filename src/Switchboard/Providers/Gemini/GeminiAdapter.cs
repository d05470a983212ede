using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Google's Gemini API (<c>generativelanguage.googleapis.com/v1beta</c>) spoken natively: the OpenAI request is
/// rebuilt as a <c>GenerateContentRequest</c>, and answers are translated back into OpenAI completions and chunks.
/// Native rather than Google's OpenAI-compatible endpoint because only the native one returns thought signatures,
/// which Gemini 3 needs back on the next turn of a tool-calling conversation.
/// </summary>
internal sealed class GeminiAdapter : IProviderAdapter, IEmbeddingsProvider
{
    private readonly ConcurrentDictionary<(Uri BaseUrl, string Model, bool Stream), Uri> _urls = new();

    public string Protocol => "gemini";

    /// <remarks>
    /// <c>maxOutputTokens</c> (or the model's own limit) for each of <c>candidateCount</c> candidates. Thinking is
    /// taken to count within it, as Gemini 2.5 and 3 models are observed to bill it; were a model to think beyond
    /// it, the excess would show as uncollected (docs/accounts.md), never as an overspend.
    /// </remarks>
    public long OutputAllowance(ChatRequest request, CatalogEndpoint endpoint) => OutputLimit.PerChoice(request.MaxTokens, endpoint) * request.Choices;

    public UpstreamRequest CreateRequest(ChatRequest request, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = GeminiRequestWriter.Write(request, endpoint);
        var buffer = body.Detach(out var length);
        var url = _urls.GetOrAdd((provider.BaseUrl, endpoint.UpstreamModel, request.Stream), MethodUrl);
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = UpstreamHeaders.JsonBody(buffer, length),
        };
        UpstreamHeaders.Accept(message, request.Stream);
        if (provider.Credential is { } credential)
        {
            // The header rather than ?key=: a query string ends up in access logs and exception messages.
            message.Headers.TryAddWithoutValidation("x-goog-api-key", credential.Reveal());
        }
        return new UpstreamRequest(message, buffer);
    }

    public CompletionResult TranslateCompletion(ChatRequest request, ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output) =>
        GeminiCompletionTranslator.Translate(body, identity, output);

    public IChatStreamTranslator CreateStreamTranslator(ChatRequest request, ResponseIdentity identity) => new GeminiStreamTranslator(identity);

    public UpstreamFailure ReadError(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds) =>
        GeminiErrors.FromResponse(status, body, retryAfterSeconds);

    public string? Unsupported(EmbeddingsRequest request) => GeminiEmbeddings.Unsupported(request);

    public UpstreamRequest CreateEmbeddingsRequest(EmbeddingsRequest request, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = GeminiEmbeddings.Write(request, endpoint.UpstreamModel);
        var buffer = body.Detach(out var length);
        var message = new HttpRequestMessage(HttpMethod.Post, ModelUrl(provider.BaseUrl, endpoint.UpstreamModel, ":batchEmbedContents"))
        {
            Content = UpstreamHeaders.JsonBody(buffer, length),
        };
        UpstreamHeaders.Accept(message, stream: false);
        if (provider.Credential is { } credential)
        {
            message.Headers.TryAddWithoutValidation("x-goog-api-key", credential.Reveal());
        }
        return new UpstreamRequest(message, buffer);
    }

    public EmbeddingsResult ReadEmbeddings(EmbeddingsRequest request, ReadOnlySpan<byte> body, Utf8JsonWriter data) =>
        GeminiEmbeddings.Read(request, body, data);

    /// <summary>
    /// <c>…/models/{model}:generateContent</c>, or <c>:streamGenerateContent?alt=sse</c>: without <c>alt=sse</c> Gemini
    /// streams one JSON array instead of events. A model written with its collection (<c>tunedModels/x</c>) keeps it.
    /// </summary>
    internal static Uri MethodUrl((Uri BaseUrl, string Model, bool Stream) key) =>
        ModelUrl(key.BaseUrl, key.Model, key.Stream ? ":streamGenerateContent?alt=sse" : ":generateContent");

    private static Uri ModelUrl(Uri baseUrl, string upstreamModel, string method)
    {
        var model = upstreamModel.Contains('/', StringComparison.Ordinal)
            ? string.Join('/', upstreamModel.Split('/').Select(Uri.EscapeDataString))
            : "models/" + Uri.EscapeDataString(upstreamModel);
        return new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + model + method);
    }
}
