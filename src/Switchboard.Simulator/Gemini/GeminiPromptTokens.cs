using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// The same deterministic estimate as the other dialects (UTF-8 bytes of prompt text / 4, at least 1), over the
/// text parts of <c>systemInstruction</c> and <c>contents</c>.
/// </summary>
internal static class GeminiPromptTokens
{
    public static PromptTally Measure(JsonElement root)
    {
        var tally = default(PromptTally);
        if (GeminiFields.TryGet(root, "systemInstruction", out var system))
        {
            AddText(ref tally, system);
        }

        GeminiFields.TryGet(root, "contents", out var contents);
        foreach (var content in contents.EnumerateArray())
        {
            AddText(ref tally, content);
        }

        return tally;
    }

    private static void AddText(ref PromptTally tally, JsonElement content)
    {
        GeminiFields.TryGet(content, "parts", out var parts);
        foreach (var part in parts.EnumerateArray())
        {
            if (GeminiFields.String(part, "text") is { } text)
            {
                tally.Add(text);
            }
        }
    }
}
