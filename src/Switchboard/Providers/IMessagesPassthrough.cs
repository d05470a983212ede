using System.Buffers;
using Switchboard.Catalog;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers;

/// <summary>
/// An adapter whose wire protocol is Anthropic's Messages API itself. A request that came in through the Messages
/// API goes to it as the client sent it, minus the gateway's own fields, and its response comes back as the
/// provider sent it, restamped with the gateway's identity: nothing is lost to a round trip through another shape.
/// </summary>
internal interface IMessagesPassthrough
{
    UpstreamRequest CreatePassthroughRequest(MessagesIngress ingress, CatalogEndpoint endpoint, ProviderRuntime provider);

    /// <summary>
    /// Writes the provider's message to <paramref name="output"/> with our id and model, its text to
    /// <paramref name="capture"/> (accounts that store completions); returns its usage.
    /// </summary>
    CompletionResult RestampMessage(ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output, CompletionCapture? capture);

    /// <summary>Forwards the provider's events, restamped, holding back <c>message_stop</c> until the charge is committed.</summary>
    IChatStreamTranslator CreatePassthroughStreamTranslator(ResponseIdentity identity);

    /// <summary>The client's <c>count_tokens</c> request for the provider's own count: the body as sent, minus what only a generation takes.</summary>
    UpstreamRequest CreateCountTokensRequest(MessagesIngress ingress, CatalogEndpoint endpoint, ProviderRuntime provider);

    /// <summary>The provider's count from its <c>count_tokens</c> answer; null when the answer holds none.</summary>
    long? ReadTokenCount(ReadOnlySpan<byte> body);
}
