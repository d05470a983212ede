namespace Switchboard.Catalog;

/// <summary>
/// List prices of one endpoint. Token prices are USD per million tokens, as providers publish them and as
/// the catalog file stores them; <see cref="Request"/> is USD per request. The API exposes per-token strings.
/// </summary>
internal sealed record Pricing(
    decimal Prompt,
    decimal Completion,
    decimal Request = 0m,
    decimal? InputCacheRead = null,
    decimal? InputCacheWrite = null)
{
    public static readonly Pricing Free = new(0m, 0m);

    public bool IsFree => Prompt == 0m && Completion == 0m && Request == 0m;

    /// <summary>The single figure routing compares: prompt plus completion price per million tokens.</summary>
    public decimal Blended => Prompt + Completion;
}
