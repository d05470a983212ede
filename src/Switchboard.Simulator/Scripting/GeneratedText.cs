namespace Switchboard.Simulator.Scripting;

/// <summary>
/// The default completion: readable sentences that say they are simulated, so a person trying the gateway in demo
/// mode reads an answer rather than filler. One word is one token, spacing kept with the word before it ("This ",
/// "is ", …, "simulator."), so <c>tokens: N</c> still gives exactly N tokens and usage counts what it did when the
/// filler was <c>tok1 tok2 …</c>. The prompt's hash picks the opener and where the sentences start, so a request
/// always gets the same reply and tests stay stable. Cached per variant and length because the load benchmark sends
/// unscripted requests and should not pay for rebuilding identical strings.
/// </summary>
internal static class GeneratedText
{
    /// <summary>
    /// Every opener is exactly eight words, the default token count, so an unscripted reply is one whole sentence
    /// that names itself simulated.
    /// </summary>
    private static readonly string[][] Openers = Words(
        "This is a simulated reply from Switchboard's simulator.",
        "A simulated answer, written by the Switchboard simulator.",
        "The Switchboard simulator here: this reply is simulated.",
        "Simulated by Switchboard's simulator; no model was called.");

    /// <summary>Sentences that stay true wherever the simulator answers: demo mode, tests and the benchmark.</summary>
    private static readonly string[][] Sentences = Words(
        "A real model would answer your prompt here; this text only stands in for one.",
        "Each word of this reply counts as one output token, so usage stays predictable.",
        "The same prompt always gets the same reply, which keeps tests and demos repeatable.",
        "Routing, fallback, streaming and billing behave as they would with a real provider.",
        "Ask for fewer tokens and the reply stops early, with the finish reason length.",
        "Point the gateway at a real provider to get answers from an actual model.",
        "Nothing you send here leaves this machine or reaches an outside service.",
        "Streamed replies arrive one word at a time, much as a model's tokens would.");

    private static readonly int Variants = Openers.Length * Sentences.Length;
    private const int CacheLimit = 4096;
    private static readonly GeneratedCompletion?[]?[] _cache = new GeneratedCompletion?[]?[Variants];

    /// <summary>Exactly <paramref name="count"/> words of the reply <paramref name="promptHash"/> picks, cycling through the sentences.</summary>
    public static GeneratedCompletion For(int count, ulong promptHash)
    {
        var variant = Variant(promptHash);
        if (count > CacheLimit)
        {
            return Build(count, variant);
        }

        // Benign races: two threads may build the same entry; both results are identical.
        var cache = _cache[variant] ??= new GeneratedCompletion?[CacheLimit + 1];
        return cache[count] ??= Build(count, variant);
    }

    /// <summary>The opener and the <paramref name="sentences"/> - 1 sentences after it: a reply that ends where a sentence does.</summary>
    public static GeneratedCompletion Whole(int sentences, ulong promptHash)
    {
        var variant = Variant(promptHash);
        var count = Openers[variant % Openers.Length].Length;
        for (var i = 1; i < sentences; i++)
        {
            count += SentenceAt(variant, i - 1).Length;
        }

        return For(count, promptHash);
    }

    // The hash's top bits, after a multiply that spreads the low bits of a plain FNV hash into them.
    private static int Variant(ulong promptHash) => (int)((promptHash * 0x9E3779B97F4A7C15UL >> 32) % (ulong)Variants);

    private static string[] SentenceAt(int variant, int index) =>
        Sentences[(variant / Openers.Length + index) % Sentences.Length];

    private static GeneratedCompletion Build(int count, int variant)
    {
        var tokens = new string[count];
        var opener = Openers[variant % Openers.Length];
        var sentence = opener;
        var word = 0;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if (word == sentence.Length)
            {
                sentence = SentenceAt(variant, next++);
                word = 0;
            }

            tokens[i] = i == count - 1 ? sentence[word] : sentence[word] + " ";
            word++;
        }

        return new GeneratedCompletion(string.Concat(tokens), tokens);
    }

    private static string[][] Words(params string[] sentences) =>
        [.. sentences.Select(sentence => sentence.Split(' '))];
}

internal sealed record GeneratedCompletion(string Text, string[] Tokens);
