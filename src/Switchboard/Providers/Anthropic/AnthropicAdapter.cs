using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Infrastructure;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>), translated to and from OpenAI chat completions; and, for a
/// client that speaks the Messages API itself, passed through (<see cref="IMessagesPassthrough"/>).
/// </summary>
internal sealed class AnthropicAdapter : IProviderAdapter, IMessagesPassthrough
{
    /// <summary>The API version every Anthropic SDK pins; newer features come through beta headers, not versions.</summary>
    public const string ApiVersion = "2023-06-01";

    private readonly ConcurrentDictionary<Uri, Uri> _messagesUrls = new();
    private readonly ConcurrentDictionary<Uri, Uri> _countTokensUrls = new();

    public string Protocol => "anthropic";

    /// <remarks>Claude generates one choice, within the <c>max_tokens</c> it is sent, thinking included.</remarks>
    public long OutputAllowance(ChatRequest request, CatalogEndpoint endpoint) => AnthropicRequestWriter.OutputLimit(request, endpoint).MaxTokens;

    public UpstreamRequest CreateRequest(ChatRequest request, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = AnthropicRequestWriter.Write(request, endpoint);
        return Send(body, MessagesUrl(provider), provider, beta: null);
    }

    public UpstreamRequest CreatePassthroughRequest(MessagesIngress ingress, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = AnthropicPassthrough.WriteRequest(ingress.Body.Span, endpoint.UpstreamModel);
        return Send(body, MessagesUrl(provider), provider, ingress.Beta);
    }

    public UpstreamRequest CreateCountTokensRequest(MessagesIngress ingress, CatalogEndpoint endpoint, ProviderRuntime provider)
    {
        using var body = AnthropicPassthrough.WriteCountRequest(ingress.Body.Span, endpoint.UpstreamModel);
        var url = _countTokensUrls.GetOrAdd(provider.BaseUrl, static b => new Uri(b.AbsoluteUri.TrimEnd('/') + "/messages/count_tokens"));
        return Send(body, url, provider, ingress.Beta);
    }

    public long? ReadTokenCount(ReadOnlySpan<byte> body) => AnthropicPassthrough.ReadTokenCount(body);

    public CompletionResult RestampMessage(ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output, CompletionCapture? capture) =>
        AnthropicPassthrough.Restamp(body, identity, output, capture);

    public IChatStreamTranslator CreatePassthroughStreamTranslator(ResponseIdentity identity) => new AnthropicPassthroughStreamTranslator(identity);

    private Uri MessagesUrl(ProviderRuntime provider) =>
        _messagesUrls.GetOrAdd(provider.BaseUrl, static b => new Uri(b.AbsoluteUri.TrimEnd('/') + "/messages"));

    private static UpstreamRequest Send(PooledBufferWriter body, Uri url, ProviderRuntime provider, string? beta)
    {
        var buffer = body.Detach(out var length);
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = UpstreamHeaders.JsonBody(buffer, length),
        };
        message.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (beta is not null)
        {
            message.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }
        if (provider.Credential is { } credential)
        {
            message.Headers.TryAddWithoutValidation("x-api-key", credential.Reveal());
        }
        return new UpstreamRequest(message, buffer);
    }

    public CompletionResult TranslateCompletion(ChatRequest request, ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output)
    {
        if (AnthropicResponseReader.Read(body, JsonOutputOf(request), out var failure) is not { } result)
        {
            return CompletionResult.Failed(failure!);
        }
        OpenAICompletionWriter.Write(output, identity, [result.Choice]);
        return new CompletionResult(result.Usage, result.Choice.NativeFinishReason, null);
    }

    public IChatStreamTranslator CreateStreamTranslator(ChatRequest request, ResponseIdentity identity) =>
        new AnthropicStreamTranslator(identity, JsonOutputOf(request));

    public UpstreamFailure ReadError(int status, ReadOnlySpan<byte> body, int? retryAfterSeconds) =>
        AnthropicErrors.FromResponse(status, body, retryAfterSeconds);

    /// <summary>
    /// Reads only the request's <c>response_format</c> property (its span, wrapped as an object) rather than
    /// parsing the whole conversation again to translate the answer.
    /// </summary>
    private static AnthropicJsonOutput? JsonOutputOf(ChatRequest request)
    {
        foreach (var property in request.Properties.Span)
        {
            if (property.Name != "response_format")
            {
                continue;
            }
            var wrapped = new byte[property.Length + 2];
            wrapped[0] = (byte)'{';
            request.PropertyBytes(property).CopyTo(wrapped.AsSpan(1));
            wrapped[^1] = (byte)'}';
            using var document = JsonDocument.Parse(wrapped, new JsonDocumentOptions { MaxDepth = ChatRequestParser.MaxDepth });
            return AnthropicJsonOutput.From(document.RootElement);
        }
        return null;
    }
}
