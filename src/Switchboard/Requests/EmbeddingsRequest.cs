using Switchboard.Routing;

namespace Switchboard.Requests;

/// <summary>How the client wants its vectors: JSON numbers (OpenAI's default), or base64 of little-endian float32.</summary>
internal enum EmbeddingEncoding
{
    Float,
    Base64,
}

/// <summary>
/// One entry of <c>input</c>, as a range of the client's body: a JSON string (quotes included, escapes as sent) or an
/// array of token ids. <see cref="Bound"/> is the most tokens it can be: its text's UTF-8 bytes (no tokenizer makes
/// more tokens than bytes), or its token count.
/// </summary>
internal readonly record struct EmbeddingInput(Range Json, bool IsTokens, long Bound);

/// <summary>
/// What the gateway needs from an embeddings request (<c>POST /embeddings</c>), read once from the client's bytes,
/// which stay verbatim for OpenAI-compatible upstreams. <see cref="Routing"/> is the same request in the internal form
/// as far as routing, the credit hold and the generation record act on it (models, <c>provider</c>, <c>user</c>, the
/// dialect); it carries no messages.
/// </summary>
internal sealed class EmbeddingsRequest
{
    /// <summary>OpenAI's limit on inputs per request; a bound on the work one request can ask for.</summary>
    public const int MaxInputs = 2048;

    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The top-level properties in order, so that the gateway's own can be left out of an upstream body.</summary>
    public required ReadOnlyMemory<JsonPropertySpan> Properties { get; init; }

    public required IReadOnlyList<EmbeddingInput> Inputs { get; init; }

    /// <summary><c>input</c> was a single string or token array, not a list of them.</summary>
    public bool SingleInput { get; init; }

    public bool HasTokenInputs { get; init; }
    public int? Dimensions { get; init; }
    public EmbeddingEncoding Encoding { get; init; }

    /// <summary>OpenRouter's <c>input_type</c>, normalized (<see cref="EmbeddingInputTypes"/>).</summary>
    public string? InputType { get; init; }

    public required ChatRequest Routing { get; init; }

    public IReadOnlyList<string> Models => Routing.Models;
    public ProviderPreferences Provider => Routing.Provider;

    public ReadOnlySpan<byte> InputJson(EmbeddingInput input) => Body.Span[input.Json];
}
