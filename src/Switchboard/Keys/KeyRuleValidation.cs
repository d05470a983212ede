using Switchboard.Catalog;
using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>
/// The checks on a key's governance fields, shared by the keys API (<see cref="KeyFields"/>) and the command line.
/// Each returns the problem in words, or null. Lists are trimmed, de-duplicated (ignoring case) and never empty:
/// "every model" is null, and a key that may use nothing is a disabled key.
/// </summary>
internal static class KeyRuleValidation
{
    public const int MaxPatterns = 100;
    public const int MaxPatternLength = 200;
    public const int MaxProviders = 100;
    public const int MaxRequestsPerMinute = 1_000_000;
    public const long MaxTokensPerMinute = 1_000_000_000_000;

    /// <summary>
    /// Model patterns: catalog ids with <c>*</c> for any run of characters, and at most one variant suffix
    /// (<c>:free</c>, <c>:nitro</c>, <c>:floor</c>). Printable ASCII without commas or spaces, as catalog ids are, so
    /// a pattern that could never match an id is refused instead of silently allowing nothing.
    /// Patterns that match no model in today's catalog are accepted: discovery adds models while the gateway runs.
    /// </summary>
    public static string? Patterns(IReadOnlyList<string> entries, out List<string> patterns)
    {
        patterns = [];
        if (entries.Count is 0 or > MaxPatterns)
        {
            return $"'allowed_models' must list 1 to {MaxPatterns} model patterns (or be null for every model).";
        }
        foreach (var entry in entries)
        {
            var pattern = entry.Trim();
            if (PatternProblem(pattern) is { } problem)
            {
                return $"'allowed_models' has {Quote(pattern)}: {problem}";
            }
            if (!patterns.Contains(pattern, StringComparer.OrdinalIgnoreCase))
            {
                patterns.Add(pattern);
            }
        }
        return null;
    }

    private static string? PatternProblem(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "a pattern must not be empty.";
        }
        if (pattern.Length > MaxPatternLength)
        {
            return $"a pattern has at most {MaxPatternLength} characters.";
        }
        foreach (var c in pattern)
        {
            if (c is < '!' or > '~' or ',')
            {
                return "a pattern is a catalog model id (printable ASCII, no spaces or commas) with '*' for any run of characters.";
            }
        }
        if (pattern.AsSpan().Trim('*').IsEmpty)
        {
            return "a pattern of '*' alone allows every model: send null instead.";
        }
        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && (pattern.LastIndexOf(':') != colon || !IsVariant(pattern[(colon + 1)..])))
        {
            return "catalog ids have no ':', so a ':' may only start a variant at the end: ':free', ':nitro' or ':floor'.";
        }
        if (colon == 0)
        {
            return "a variant needs a model pattern before it, e.g. '*:free'.";
        }
        return null;
    }

    private static bool IsVariant(string suffix) =>
        suffix.Equals("free", StringComparison.OrdinalIgnoreCase) || suffix.Equals("nitro", StringComparison.OrdinalIgnoreCase)
        || suffix.Equals("floor", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Provider slugs (or display names, either case), each one the catalog has; stored as the catalog's slugs, the
    /// names <c>provider.only</c> and <c>GET /api/v1/providers</c> use.
    /// </summary>
    public static string? Providers(IReadOnlyList<string> entries, IReadOnlyList<ProviderInfo> known, out List<string> slugs)
    {
        slugs = [];
        if (entries.Count is 0 or > MaxProviders)
        {
            return $"'allowed_providers' must list 1 to {MaxProviders} provider slugs (or be null for every provider).";
        }
        foreach (var entry in entries)
        {
            var name = entry.Trim();
            if (known.FirstOrDefault(p => p.IsNamed(name)) is not { } provider)
            {
                var listed = string.Join(", ", known.Select(p => p.Slug).Order(StringComparer.Ordinal));
                return name.Length == 0
                    ? "'allowed_providers' has an empty entry: each must be a provider slug."
                    : $"'allowed_providers' has {Quote(name)}, which is not a provider of this gateway. Providers: {listed}.";
            }
            if (!slugs.Contains(provider.Slug, StringComparer.OrdinalIgnoreCase))
            {
                slugs.Add(provider.Slug);
            }
        }
        return null;
    }

    /// <summary>
    /// A key's own requests per minute: 1 or more (0 would be a disabled key, not "unlimited"), and at most the gateway's
    /// limit when it has one (<paramref name="gatewayLimit"/>), since a key's limit can only tighten the operator's.
    /// </summary>
    public static string? RequestsPerMinute(long value, int gatewayLimit)
    {
        var max = gatewayLimit > 0 ? gatewayLimit : MaxRequestsPerMinute;
        if (value >= 1 && value <= max)
        {
            return null;
        }
        var why = gatewayLimit > 0 ? $" (the gateway's limit, Switchboard:RateLimits:RequestsPerMinute)" : "";
        return $"'requests_per_minute' must be a whole number from 1 to {max}{why}, or null for the gateway's limit.";
    }

    public static string? TokensPerMinute(long value) => value is >= 1 and <= MaxTokensPerMinute
        ? null
        : $"'tokens_per_minute' must be a whole number from 1 to {MaxTokensPerMinute}, or null for the gateway's limit.";

    /// <summary>Quoted for a message, cut short and with anything unprintable escaped, so a hostile value cannot forge output.</summary>
    private static string Quote(string value)
    {
        var shown = string.Concat(value.Take(60).Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
        return "'" + shown + (value.Length > 60 ? "...'" : "'");
    }
}
