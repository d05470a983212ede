using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>The shared estimate (<see cref="PromptText"/>) over every message's content.</summary>
internal static class OpenAIPromptTokens
{
    public static int Estimate(JsonElement messages)
    {
        long bytes = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                bytes += PromptText.Bytes(content);
            }
        }
        return PromptText.Tokens(bytes);
    }
}
