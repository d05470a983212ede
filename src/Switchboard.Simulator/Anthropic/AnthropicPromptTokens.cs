using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>The shared estimate (<see cref="PromptText"/>) over <c>system</c> and every message's content.</summary>
internal static class AnthropicPromptTokens
{
    public static PromptTally Measure(JsonElement root)
    {
        var tally = default(PromptTally);
        if (RequestJson.TryGet(root, "system", out var system))
        {
            PromptText.Add(ref tally, system);
        }
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            PromptText.Add(ref tally, message.GetProperty("content"));
        }
        return tally;
    }
}
