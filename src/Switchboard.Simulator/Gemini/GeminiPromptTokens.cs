using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// The same deterministic estimate as the other dialects (UTF-8 bytes of prompt text / 4, at least 1), over the
/// text parts of <c>systemInstruction</c> and <c>contents</c>.
/// </summary>
internal static class GeminiPromptTokens
{
    public static int Estimate(JsonElement root)
    {
        long bytes = 0;
        if (GeminiFields.TryGet(root, "systemInstruction", out var system))
        {
            bytes += TextBytes(system);
        }

        GeminiFields.TryGet(root, "contents", out var contents);
        foreach (var content in contents.EnumerateArray())
        {
            bytes += TextBytes(content);
        }

        return PromptText.Tokens(bytes);
    }

    private static long TextBytes(JsonElement content)
    {
        long bytes = 0;
        GeminiFields.TryGet(content, "parts", out var parts);
        foreach (var part in parts.EnumerateArray())
        {
            if (GeminiFields.String(part, "text") is { } text)
            {
                bytes += Encoding.UTF8.GetByteCount(text);
            }
        }

        return bytes;
    }
}
