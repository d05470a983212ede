using System.Collections.Immutable;

namespace Switchboard.Catalog;

/// <summary>A model as clients address it (<c>author/slug</c>), with every endpoint that serves it.</summary>
internal sealed class CatalogModel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? CanonicalSlug { get; init; }
    public string? HuggingFaceId { get; init; }
    public long Created { get; init; }
    public string Description { get; init; } = "";
    public int ContextLength { get; init; }
    public IReadOnlyList<string> InputModalities { get; init; } = ["text"];
    public IReadOnlyList<string> OutputModalities { get; init; } = ["text"];

    /// <summary>
    /// Its output is vectors (output modality <c>embeddings</c>): served by <c>POST /embeddings</c> only, never as a chat
    /// model, as chat models are never served as embedding models.
    /// </summary>
    public bool IsEmbedding { get; init; }
    public string Tokenizer { get; init; } = "Other";

    /// <summary>The most prompt tokens one input image can cost (catalog <c>image_tokens</c>); unset, the tokenizer family's (<see cref="Billing.MediaTokens"/>).</summary>
    public int? ImageTokens { get; init; }
    public string? InstructType { get; init; }
    public string? KnowledgeCutoff { get; init; }

    /// <summary>Other names that resolve to this model: provider model names, dated slugs, <c>~author/family-latest</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Set when the model is still served but its retirement is announced.</summary>
    public ModelDeprecation? Deprecation { get; init; }
    public CatalogSource? Source { get; init; }

    /// <summary>Not in the catalog: found in its provider's <c>GET /models</c> (<see cref="Discovery.ModelDiscovery"/>), served at price 0.</summary>
    public bool Discovered { get; init; }

    /// <summary>Enabled endpoints, cheapest first.</summary>
    public ImmutableArray<CatalogEndpoint> Endpoints { get; set; } = [];

    public string Author => Id[..Id.IndexOf('/', StringComparison.Ordinal)];
}
