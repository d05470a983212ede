using System.Text;
using System.Text.Json;

namespace Switchboard.Simulator.Scripting;

/// <summary>
/// The deterministic prompt-token estimate every dialect shares, so the same conversation reports the same usage
/// whatever protocol carried it: UTF-8 bytes of the prompt's text / 4, at least 1. No tokenizer is involved.
/// </summary>
internal static class PromptText
{
    public static int Tokens(long bytes) => (int)Math.Clamp(bytes / 4, 1, int.MaxValue);

    /// <summary>
    /// Adds the text of a content value: a string, or an array of blocks whose <c>text</c> counts (Anthropic's
    /// <c>tool_result</c> blocks count their own content). Images and audio have no byte length worth estimating.
    /// </summary>
    public static void Add(ref PromptTally tally, JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            tally.Add(content.GetString()!);
            return;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var block in content.EnumerateArray())
        {
            if (RequestJson.String(block, "text") is { } text)
            {
                tally.Add(text);
            }
            else if (RequestJson.String(block, "type") == "tool_result" && RequestJson.TryGet(block, "content", out var result))
            {
                Add(ref tally, result);
            }
        }
    }
}

/// <summary>
/// The prompt's text as the simulator measures it: its UTF-8 bytes, for the token estimate, and a hash of it that
/// picks the default reply (<see cref="GeneratedText"/>). Both see the same strings in the same order in every
/// dialect, so one conversation gets the same reply whichever protocol carried it.
/// </summary>
internal struct PromptTally
{
    private const ulong FnvPrime = 0x100000001B3;

    public long Bytes { get; private set; }

    /// <summary>FNV-1a over the UTF-16 code units of every string added.</summary>
    public ulong Hash { get; private set; }

    public readonly int Tokens => PromptText.Tokens(Bytes);

    public void Add(string text)
    {
        Bytes += Encoding.UTF8.GetByteCount(text);
        var hash = Hash;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        Hash = hash;
    }
}
