using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>The shared estimate (<see cref="PromptText"/>) over <c>system</c> and every message's content.</summary>
internal static class AnthropicPromptTokens
{
    public static int Estimate(JsonElement root)
    {
        long bytes = RequestJson.TryGet(root, "system", out var system) ? PromptText.Bytes(system) : 0;
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            bytes += PromptText.Bytes(message.GetProperty("content"));
        }
        return PromptText.Tokens(bytes);
    }
}
