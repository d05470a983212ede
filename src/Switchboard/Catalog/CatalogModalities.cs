namespace Switchboard.Catalog;

/// <summary>
/// The output modalities the catalog knows and <c>GET /models?output_modalities=</c> filters on: OpenRouter's default
/// filter is <c>text</c> (chat models), <c>embeddings</c> selects embedding models, <c>all</c> both.
/// </summary>
internal static class CatalogModalities
{
    public const string Text = "text";
    public const string Embeddings = "embeddings";
    public const string All = "all";

    /// <summary>Whether <paramref name="model"/> has any of the comma-separated <paramref name="filter"/>'s modalities (default <c>text</c>).</summary>
    public static bool Matches(CatalogModel model, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return model.OutputModalities.Contains(Text, StringComparer.Ordinal);
        }
        foreach (var wanted in filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(wanted, All, StringComparison.OrdinalIgnoreCase)
                || model.OutputModalities.Contains(wanted, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
