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
    /// Text bytes of a content value: a string, or an array of blocks whose <c>text</c> counts (Anthropic's
    /// <c>tool_result</c> blocks count their own content). Images and audio have no byte length worth estimating.
    /// </summary>
    public static long Bytes(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return Encoding.UTF8.GetByteCount(content.GetString()!);
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }
        long bytes = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (RequestJson.String(block, "text") is { } text)
            {
                bytes += Encoding.UTF8.GetByteCount(text);
            }
            else if (RequestJson.String(block, "type") == "tool_result" && RequestJson.TryGet(block, "content", out var result))
            {
                bytes += Bytes(result);
            }
        }
        return bytes;
    }
}
