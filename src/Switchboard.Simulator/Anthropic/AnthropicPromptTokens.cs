using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// The same deterministic estimate as the OpenAI dialect (UTF-8 bytes of prompt text / 4, at least 1), over the
/// text a translated OpenAI request carries here: <c>system</c>, string content, text blocks and tool results.
/// </summary>
internal static class AnthropicPromptTokens
{
    public static int Estimate(JsonElement root)
    {
        long bytes = 0;
        if (RequestJson.TryGet(root, "system", out var system))
        {
            bytes += ContentBytes(system);
        }

        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            bytes += ContentBytes(message.GetProperty("content"));
        }

        return (int)Math.Clamp(bytes / 4, 1, int.MaxValue);
    }

    private static long ContentBytes(JsonElement content)
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
                bytes += ContentBytes(result);
            }
        }

        return bytes;
    }
}
