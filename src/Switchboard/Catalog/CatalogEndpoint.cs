using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Catalog;

/// <summary>One provider's offer of one model: the unit that routing ranks and health tracks.</summary>
internal sealed class CatalogEndpoint
{
    /// <summary>Dense index across the whole catalog, so per-endpoint state lives in arrays, not dictionaries.</summary>
    public required int Index { get; init; }
    public required CatalogModel Model { get; init; }
    public required ProviderInfo Provider { get; init; }
    public required string UpstreamModel
    {
        get;
        init
        {
            field = value;
            EncodedUpstreamModel = JsonEncodedText.Encode(value);
        }
    }

    /// <summary><see cref="UpstreamModel"/> JSON-escaped once, since every upstream request body writes it.</summary>
    public JsonEncodedText EncodedUpstreamModel { get; private init; }
    public int ContextLength { get; init; }

    /// <summary>
    /// The most tokens a prompt, or its answer, can hold here: the context length, or for an entry that declares
    /// none, 2M (the largest context any model offers). Credit holds use it where nothing smaller is known.
    /// </summary>
    public long ContextBound => ContextLength > 0 ? ContextLength : 2_000_000;
    public int? MaxCompletionTokens { get; init; }
    public string? Quantization { get; init; }
    public required Pricing Pricing { get; init; }
    /// <summary>The endpoint's own data policy, or its provider's.</summary>
    public DataPolicy? DataPolicy { get; init; }

    /// <summary>Where the endpoint's prices come from, when not the model's source.</summary>
    public CatalogSource? Source { get; init; }
    public FrozenSet<string> SupportedParameters { get; init; } = FrozenSet<string>.Empty;

    /// <summary>The routing slug OpenRouter calls <c>tag</c>: provider, plus quantization when known. Built once: routing compares it per request.</summary>
    public string Tag => field ??= Quantization is null ? Provider.Slug : $"{Provider.Slug}/{Quantization}";
}
