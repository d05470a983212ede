using System.Text.Json;
using Switchboard.Catalog;
using Switchboard.Requests;

namespace Switchboard.Providers;

/// <summary>
/// An adapter whose protocol can embed text (<c>POST /embeddings</c>). Optional, like <see cref="IMessagesPassthrough"/>:
/// Anthropic's API has no embeddings, so its adapter does not implement it and no Claude endpoint is ever asked.
/// </summary>
internal interface IEmbeddingsProvider
{
    /// <summary>Why this protocol cannot serve <paramref name="request"/> at all (e.g. token ids where only text is taken); null when it can.</summary>
    string? Unsupported(EmbeddingsRequest request);

    UpstreamRequest CreateEmbeddingsRequest(EmbeddingsRequest request, CatalogEndpoint endpoint, ProviderRuntime provider);

    /// <summary>
    /// Writes the provider's vectors to <paramref name="data"/> as the client's <c>data</c> array (OpenAI's
    /// <c>{"object":"embedding","index","embedding"}</c> entries, in the encoding the client asked for); returns their
    /// count and the provider's usage, null when it reports none. On failure, what was written is discarded.
    /// </summary>
    EmbeddingsResult ReadEmbeddings(EmbeddingsRequest request, ReadOnlySpan<byte> body, Utf8JsonWriter data);
}

/// <summary>What an embeddings response held: how many vectors, the provider's usage (if any), or why it was unusable.</summary>
internal readonly record struct EmbeddingsResult(int Count, TokenUsage? Usage, UpstreamFailure? Failure)
{
    public static EmbeddingsResult Failed(UpstreamFailure failure) => new(0, null, failure);

    public static EmbeddingsResult Invalid(string message, ReadOnlySpan<byte> body) =>
        Failed(new UpstreamFailure(FailureKind.InvalidResponse, message, Raw: System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, 2048)])));
}
