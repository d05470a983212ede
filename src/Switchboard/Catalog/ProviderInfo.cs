namespace Switchboard.Catalog;

/// <summary>A provider as the catalog and operator configuration describe it. Holds no credentials.</summary>
internal sealed record ProviderInfo
{
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public required Uri BaseUrl { get; init; }
    public required string Protocol { get; init; }

    /// <summary>Environment variable holding the credential; null for keyless providers.</summary>
    public string? ApiKeyEnv { get; init; }
    public bool ApiKeyOptional { get; init; }
    public bool Enabled { get; init; } = true;

    /// <summary>True when the provider may retain or train on prompts; excluded by <c>data_collection: "deny"</c>.</summary>
    public bool CollectsData { get; init; }
    public string? Headquarters { get; init; }
    public IReadOnlyList<string> Datacenters { get; init; } = [];
    public string? PrivacyPolicyUrl { get; init; }
    public string? TermsOfServiceUrl { get; init; }
    public string? StatusPageUrl { get; init; }
    public DataPolicy? DataPolicy { get; init; }

    /// <summary>The gateway reads the provider's <c>GET /models</c> and serves what it finds (local servers).</summary>
    public bool Discovery { get; init; }

    /// <summary>True when <paramref name="nameOrSlug"/> names this provider, as <c>provider.order/only/ignore</c> allow.</summary>
    public bool IsNamed(string nameOrSlug) =>
        string.Equals(nameOrSlug, Slug, StringComparison.OrdinalIgnoreCase)
        || string.Equals(nameOrSlug, Name, StringComparison.OrdinalIgnoreCase);
}
