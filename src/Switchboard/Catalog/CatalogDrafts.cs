using System.Collections.Frozen;

namespace Switchboard.Catalog;

// Mutable forms of models and endpoints while CatalogBuilder merges the file with configuration; frozen into
// CatalogModel and CatalogEndpoint once everything is known.

internal sealed class ModelDraft(string id)
{
    public string Id { get; } = id;
    public required string Name { get; set; }
    public string? CanonicalSlug { get; init; }
    public string? HuggingFaceId { get; init; }
    public long Created { get; init; }
    public string Description { get; set; } = "";
    public int ContextLength { get; set; }
    public IReadOnlyList<string> InputModalities { get; init; } = ["text"];
    public IReadOnlyList<string> OutputModalities { get; init; } = ["text"];
    public string Tokenizer { get; init; } = "Other";
    public int? ImageTokens { get; init; }
    public string? InstructType { get; init; }
    public string? KnowledgeCutoff { get; init; }
    public List<string> Aliases { get; } = [];
    public ModelDeprecation? Deprecation { get; init; }
    public CatalogSource? Source { get; init; }
    public Dictionary<string, EndpointDraft> Endpoints { get; } = new(StringComparer.OrdinalIgnoreCase);

    public CatalogModel ToModel(int widestEndpointContext) => new()
    {
        Id = Id,
        Name = Name,
        CanonicalSlug = CanonicalSlug,
        HuggingFaceId = HuggingFaceId,
        Created = Created,
        Description = Description,
        ContextLength = ContextLength > 0 ? ContextLength : widestEndpointContext,
        InputModalities = InputModalities,
        OutputModalities = OutputModalities,
        IsEmbedding = OutputModalities.Contains(CatalogModalities.Embeddings, StringComparer.Ordinal),
        Tokenizer = Tokenizer,
        ImageTokens = ImageTokens,
        InstructType = InstructType,
        KnowledgeCutoff = KnowledgeCutoff,
        Aliases = [.. Aliases],
        Deprecation = Deprecation,
        Source = Source,
    };
}

internal sealed class EndpointDraft(string provider)
{
    public string Provider { get; } = provider;
    public bool Enabled { get; set; } = true;
    public string? UpstreamModel { get; set; }
    public int? ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public string? Quantization { get; set; }
    public Pricing Pricing { get; set; } = Pricing.Free;
    public IReadOnlyList<string> SupportedParameters { get; set; } = [];
    public DataPolicy? DataPolicy { get; init; }
    public CatalogSource? Source { get; init; }

    public CatalogEndpoint ToEndpoint(int index, CatalogModel model, ProviderInfo provider) => new()
    {
        Index = index,
        Model = model,
        Provider = provider,
        UpstreamModel = UpstreamModel!,
        ContextLength = ContextLength ?? model.ContextLength,
        MaxCompletionTokens = MaxCompletionTokens,
        Quantization = Quantization,
        Pricing = Pricing,
        SupportedParameters = SupportedParameters.ToFrozenSet(StringComparer.Ordinal),
        DataPolicy = DataPolicy ?? provider.DataPolicy,
        Source = Source,
    };
}
