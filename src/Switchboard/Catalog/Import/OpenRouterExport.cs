namespace Switchboard.Catalog.Import;

// The parts of OpenRouter's GET /api/v1/models response the importer reads. Prices are USD-per-token strings.

internal sealed class OpenRouterExport
{
    public List<OpenRouterExportModel> Data { get; set; } = [];
}

internal sealed class OpenRouterExportModel
{
    public string? Id { get; set; }
    public string? CanonicalSlug { get; set; }
    public string? HuggingFaceId { get; set; }
    public string? Name { get; set; }
    public long Created { get; set; }
    public string? Description { get; set; }
    public int ContextLength { get; set; }
    public OpenRouterExportArchitecture? Architecture { get; set; }
    public OpenRouterExportPricing? Pricing { get; set; }
    public OpenRouterExportTopProvider? TopProvider { get; set; }
    public List<string>? SupportedParameters { get; set; }
}

internal sealed class OpenRouterExportArchitecture
{
    public List<string>? InputModalities { get; set; }
    public List<string>? OutputModalities { get; set; }
    public string? Tokenizer { get; set; }
    public string? InstructType { get; set; }
}

internal sealed class OpenRouterExportPricing
{
    public string? Prompt { get; set; }
    public string? Completion { get; set; }
    public string? Request { get; set; }
    public string? InputCacheRead { get; set; }
    public string? InputCacheWrite { get; set; }
}

internal sealed class OpenRouterExportTopProvider
{
    public int? ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
}
