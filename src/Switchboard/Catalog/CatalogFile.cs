namespace Switchboard.Catalog;

// The shape of catalog.json (snake_case on disk). Kept separate from the runtime types so the file format
// can stay friendly to humans editing it while the runtime snapshot stays immutable and indexed.

internal sealed class CatalogFile
{
    public string? Updated { get; set; }
    public string? Notes { get; set; }
    public List<CatalogFileProvider> Providers { get; set; } = [];
    public List<CatalogFileModel> Models { get; set; } = [];
    public Dictionary<string, CatalogFileSource> Sources { get; set; } = [];
    public List<CatalogFileRetired> Retired { get; set; } = [];
}

internal sealed class CatalogFileSource
{
    public string? Url { get; set; }
    public string? Retrieved { get; set; }
    public string? Notes { get; set; }
}

internal sealed class CatalogFileRetired
{
    public string? Id { get; set; }
    public List<string>? Aliases { get; set; }
    public string? RetiredOn { get; set; }
    public string? Successor { get; set; }
    public string? Note { get; set; }
    public string? Source { get; set; }
}

internal sealed class CatalogFileDataPolicy
{
    public bool Training { get; set; }
    public bool RetainsPrompts { get; set; }
    public int? RetentionDays { get; set; }
}

internal sealed class CatalogFileDeprecation
{
    public string? Announced { get; set; }
    public string? RetiresOn { get; set; }
    public string? Successor { get; set; }
    public string? Note { get; set; }
}

internal sealed class CatalogFileProvider
{
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? BaseUrl { get; set; }
    public string? Protocol { get; set; }
    public string? ApiKeyEnv { get; set; }
    public bool ApiKeyOptional { get; set; }
    public bool Enabled { get; set; } = true;
    public bool CollectsData { get; set; }
    public string? Headquarters { get; set; }
    public List<string>? Datacenters { get; set; }
    public string? PrivacyPolicyUrl { get; set; }
    public string? TermsOfServiceUrl { get; set; }
    public string? StatusPageUrl { get; set; }
    public CatalogFileDataPolicy? DataPolicy { get; set; }
    public bool Discovery { get; set; }
}

internal sealed class CatalogFileModel
{
    public string? Id { get; set; }
    public string? CanonicalSlug { get; set; }
    public string? HuggingFaceId { get; set; }
    public string? Name { get; set; }
    public string? Created { get; set; }
    public string? Description { get; set; }
    public int ContextLength { get; set; }
    public List<string>? InputModalities { get; set; }
    public List<string>? OutputModalities { get; set; }
    public string? Tokenizer { get; set; }
    public int? ImageTokens { get; set; }
    public string? InstructType { get; set; }
    public string? KnowledgeCutoff { get; set; }
    public List<string>? Aliases { get; set; }
    public CatalogFileDeprecation? Deprecation { get; set; }
    public string? Source { get; set; }
    public List<CatalogFileEndpoint> Endpoints { get; set; } = [];
}

internal sealed class CatalogFileEndpoint
{
    public string? Provider { get; set; }
    public string? UpstreamModel { get; set; }
    public int? ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public string? Quantization { get; set; }
    public CatalogFilePricing? Pricing { get; set; }
    public List<string>? SupportedParameters { get; set; }
    public CatalogFileDataPolicy? DataPolicy { get; set; }
    public string? Source { get; set; }
}

internal sealed class CatalogFilePricing
{
    public decimal Prompt { get; set; }
    public decimal Completion { get; set; }
    public decimal? Request { get; set; }
    public decimal? InputCacheRead { get; set; }
    public decimal? InputCacheWrite { get; set; }
    public decimal? Image { get; set; }
    public decimal? ImageOutput { get; set; }
    public decimal? InternalReasoning { get; set; }
    public List<CatalogFilePriceTier>? Tiers { get; set; }
}

internal sealed class CatalogFilePriceTier
{
    public long AbovePromptTokens { get; set; }
    public decimal? Prompt { get; set; }
    public decimal? Completion { get; set; }
    public decimal? InputCacheRead { get; set; }
    public decimal? InputCacheWrite { get; set; }
}
