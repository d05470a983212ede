namespace Switchboard.Simulator.Scripting;

/// <summary>
/// The default completion "tok1 tok2 … tokN". Cached per length because the load benchmark
/// sends unscripted requests and should not pay for rebuilding identical strings.
/// </summary>
internal static class GeneratedText
{
    private const int CacheLimit = 4096;
    private static readonly GeneratedCompletion?[] _cache = new GeneratedCompletion?[CacheLimit + 1];

    public static GeneratedCompletion For(int count)
    {
        if (count > CacheLimit)
        {
            return Build(count);
        }

        // Benign race: two threads may build the same entry; both results are identical.
        return _cache[count] ??= Build(count);
    }

    private static GeneratedCompletion Build(int count)
    {
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = i == count - 1 ? $"tok{i + 1}" : $"tok{i + 1} ";
        }

        return new GeneratedCompletion(string.Concat(tokens), tokens);
    }
}

internal sealed record GeneratedCompletion(string Text, string[] Tokens);
