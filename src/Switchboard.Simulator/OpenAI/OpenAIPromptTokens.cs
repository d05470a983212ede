using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>The shared estimate (<see cref="PromptText"/>) over every message's content.</summary>
internal static class OpenAIPromptTokens
{
    public static PromptTally Measure(JsonElement messages)
    {
        var tally = default(PromptTally);
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                PromptText.Add(ref tally, content);
            }
        }
        return tally;
    }
}
