using System.Text;
using System.Text.Json;

namespace Switchboard.Simulator.OpenAI;

/// <summary>
/// Deterministic prompt-token estimate (UTF-8 bytes of message text / 4, at least 1) so tests can
/// predict usage numbers without a real tokenizer.
/// </summary>
internal static class OpenAIPromptTokens
{
    public static int Estimate(JsonElement messages)
    {
        long bytes = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                bytes += ContentBytes(content);
            }
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
        foreach (var part in content.EnumerateArray())
        {
            // Text parts only; images and audio have no byte length worth estimating.
            if (part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("text", out var text)
                && text.ValueKind == JsonValueKind.String)
            {
                bytes += Encoding.UTF8.GetByteCount(text.GetString()!);
            }
        }

        return bytes;
    }
}
