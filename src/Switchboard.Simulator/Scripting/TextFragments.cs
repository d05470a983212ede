namespace Switchboard.Simulator.Scripting;

/// <summary>Splits text for streaming.</summary>
internal static class TextFragments
{
    /// <summary>
    /// Splits on whitespace boundaries keeping the whitespace with the preceding word
    /// ("a b" → "a ", "b"), the way LLM tokens usually carry their spacing.
    /// </summary>
    public static string[] SplitWords(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var tokens = new List<string>();
        var start = 0;
        var sawWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var isSpace = char.IsWhiteSpace(text[i]);
            if (!isSpace && sawWord && i > 0 && char.IsWhiteSpace(text[i - 1]))
            {
                tokens.Add(text[start..i]);
                start = i;
            }

            sawWord |= !isSpace;
        }

        tokens.Add(text[start..]);
        return [.. tokens];
    }

    /// <summary>Fixed-size pieces that never separate a surrogate pair.</summary>
    public static string[] Split(string text, int length)
    {
        var fragments = new List<string>((text.Length / length) + 1);
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(start + length, text.Length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            fragments.Add(text[start..end]);
            start = end;
        }

        return [.. fragments];
    }
}
