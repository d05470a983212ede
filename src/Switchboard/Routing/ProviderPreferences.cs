namespace Switchboard.Routing;

internal enum ProviderSort
{
    Price,
    Throughput,
    Latency,
}

/// <summary>Hard price ceilings in USD per million tokens (per request for <see cref="Request"/>), as OpenRouter's <c>max_price</c>.</summary>
internal sealed record MaxPrice(decimal? Prompt, decimal? Completion, decimal? Request);

/// <summary>The request's <c>provider</c> object: OpenRouter's provider routing preferences.</summary>
internal sealed record ProviderPreferences
{
    public static readonly ProviderPreferences Default = new();

    public IReadOnlyList<string>? Order { get; init; }
    public IReadOnlyList<string>? Only { get; init; }
    public IReadOnlyList<string>? Ignore { get; init; }
    public IReadOnlyList<string>? Quantizations { get; init; }
    public bool AllowFallbacks { get; init; } = true;
    public bool RequireParameters { get; init; }

    /// <summary><c>data_collection: "deny"</c> or <c>zdr: true</c>: only providers that do not retain prompts.</summary>
    public bool DenyDataCollection { get; init; }
    public ProviderSort? Sort { get; init; }

    /// <summary><c>sort.partition: "none"</c> ranks the endpoints of all requested models together.</summary>
    public bool SortAcrossModels { get; init; }
    public MaxPrice? MaxPrice { get; init; }
}
