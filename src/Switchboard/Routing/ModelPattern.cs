namespace Switchboard.Routing;

/// <summary>
/// Model id patterns as OpenRouter's auto-router plugin takes them: <c>*</c> stands for any run of characters
/// (slashes included), everything else is literal, case ignored. No regular expressions, so no pattern can make
/// matching backtrack: the literal pieces between stars are found left to right, each at its first place after
/// the previous one, which is linear in the id's length per piece.
/// </summary>
internal static class ModelPattern
{
    public static bool Matches(string pattern, string id)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return string.Equals(pattern, id, StringComparison.OrdinalIgnoreCase);
        }
        var lastStar = pattern.LastIndexOf('*');
        var prefix = pattern.AsSpan(0, star);
        var suffix = pattern.AsSpan(lastStar + 1);
        var text = id.AsSpan();
        if (prefix.Length + suffix.Length > text.Length
            || !text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || !text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var middle = text[prefix.Length..(text.Length - suffix.Length)];
        var pieces = pattern.AsSpan(star + 1, lastStar - star);
        while (!pieces.IsEmpty)
        {
            var next = pieces.IndexOf('*');
            var piece = pieces[..next];
            pieces = pieces[(next + 1)..];
            if (piece.IsEmpty)
            {
                continue;
            }
            var at = middle.IndexOf(piece, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }
            middle = middle[(at + piece.Length)..];
        }
        return true;
    }

    public static bool MatchesAny(IReadOnlyList<string> patterns, string id)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (Matches(patterns[i], id))
            {
                return true;
            }
        }
        return false;
    }
}
