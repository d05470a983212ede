namespace Switchboard.Routing;

/// <summary>
/// <c>Switchboard:AutoRouter</c>: what <c>openrouter/auto</c> chooses from, and how (docs/routing.md, "openrouter/auto").
/// </summary>
internal sealed class AutoRouterOptions
{
    /// <summary>Most candidates a list may hold: each request weighs every one of them.</summary>
    public const int MaxCandidates = 64;

    /// <summary>Off: <c>openrouter/auto</c> is refused with 400 and not listed.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The built-in list, used when <see cref="Candidates"/> is not set: current flagship, mid-size and small models of
    /// the big labs, best quality first. It lives here rather than in appsettings.json because configuration merges
    /// lists by index: a shorter list set in an environment variable or a second settings file would silently keep
    /// the shipped list's tail.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultCandidates =
    [
        "anthropic/claude-sonnet-5",
        "openai/gpt-5.5",
        "google/gemini-3.1-pro-preview",
        "deepseek/deepseek-v4-pro",
        "google/gemini-3.5-flash",
        "openai/gpt-5.4-mini",
        "anthropic/claude-haiku-4.5",
        "qwen/qwen3.5-397b-a17b",
        "deepseek/deepseek-v4-flash",
        "openai/gpt-5.4-nano",
    ];

    /// <summary>
    /// Catalog model ids, best quality first; unset, <see cref="DefaultCandidates"/>. An id the catalog does not have
    /// is skipped with a warning at start-up, since the catalog and this list are edited apart; a malformed entry
    /// stops start-up.
    /// </summary>
    public List<string>? Candidates { get; set; }

    public IReadOnlyList<string> EffectiveCandidates => Candidates ?? DefaultCandidates;

    /// <summary><c>quality</c>, <c>balanced</c> (default) or <c>cost</c>; a request's <c>cost_tier</c> overrides it.</summary>
    public string Preference { get; set; } = "balanced";

    public IEnumerable<string> Problems(string section)
    {
        if (!AutoPreferences.TryParse(Preference, out _))
        {
            yield return $"{section}:Preference must be quality, balanced or cost (got '{Preference}').";
        }
        var candidates = Candidates ?? [];
        if (candidates.Count > MaxCandidates)
        {
            yield return $"{section}:Candidates may list at most {MaxCandidates} models (got {candidates.Count}).";
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < candidates.Count; i++)
        {
            var id = candidates[i];
            if (string.IsNullOrWhiteSpace(id) || id.Trim() != id || !id.Contains('/') || id.Contains(':'))
            {
                yield return $"{section}:Candidates:{i} must be a catalog model id such as openai/gpt-5, without a variant suffix (got '{id}').";
            }
            else if (AutoRouter.IsAuto(id))
            {
                yield return $"{section}:Candidates:{i} names openrouter/auto itself.";
            }
            else if (!seen.Add(id))
            {
                yield return $"{section}:Candidates:{i} repeats '{id}'.";
            }
        }
    }
}

/// <summary>What <c>openrouter/auto</c> weighs against quality (the candidates' order).</summary>
internal enum AutoPreference
{
    /// <summary>The first eligible candidate in list order.</summary>
    Quality,

    /// <summary>The first eligible candidate in list order priced at most the eligible candidates' median.</summary>
    Balanced,

    /// <summary>The cheapest eligible candidate; ties by list order.</summary>
    Cost,
}

internal static class AutoPreferences
{
    public static bool TryParse(string? value, out AutoPreference preference)
    {
        switch (value?.ToLowerInvariant())
        {
            case "quality":
                preference = AutoPreference.Quality;
                return true;
            case "balanced":
                preference = AutoPreference.Balanced;
                return true;
            case "cost":
                preference = AutoPreference.Cost;
                return true;
            default:
                preference = AutoPreference.Balanced;
                return false;
        }
    }

    /// <summary>OpenRouter's <c>cost_tier</c>: <c>low</c> is cost, <c>medium</c> balanced, <c>high</c>, <c>xhigh</c> and <c>max</c> quality.</summary>
    public static AutoPreference? FromCostTier(string tier) => tier switch
    {
        "low" => AutoPreference.Cost,
        "medium" => AutoPreference.Balanced,
        "high" or "xhigh" or "max" => AutoPreference.Quality,
        _ => null,
    };
}
