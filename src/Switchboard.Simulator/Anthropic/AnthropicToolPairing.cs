using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// The API's tool pairing rules: every tool_result answers a tool_use of the immediately preceding assistant turn,
/// and every tool_use of an assistant turn followed by a user turn is answered there. Consecutive messages with the
/// same role count as one turn, because the API merges them before checking. Messages match the real API's.
/// </summary>
internal static class AnthropicToolPairing
{
    public static string? Validate(JsonElement messages)
    {
        // tool_use id → index of the message that holds it, for the current assistant turn only.
        var pendingUses = new Dictionary<string, int>(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        string? turnRole = null;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.GetProperty("role").GetString()!;
            if (role == "system")
            {
                index++; // a mid-conversation system message is not a turn: it neither opens nor closes one
                continue;
            }
            if (role != turnRole)
            {
                if (turnRole == "user" && Unanswered(pendingUses, answered) is { } turnError)
                {
                    return turnError;
                }

                if (role == "assistant")
                {
                    pendingUses.Clear();
                }

                answered.Clear();
                turnRole = role;
            }

            if (message.GetProperty("content") is { ValueKind: JsonValueKind.Array } content
                && CheckBlocks(content, role, index, pendingUses, answered) is { } blockError)
            {
                return blockError;
            }

            index++;
        }

        return turnRole == "user" ? Unanswered(pendingUses, answered) : null;
    }

    private static string? CheckBlocks(
        JsonElement content, string role, int index, Dictionary<string, int> pendingUses, HashSet<string> answered)
    {
        var blockIndex = 0;
        foreach (var block in content.EnumerateArray())
        {
            var type = RequestJson.String(block, "type");
            if (type == "tool_use" && role == "assistant")
            {
                pendingUses.TryAdd(block.GetProperty("id").GetString()!, index);
            }
            else if (type == "tool_result")
            {
                var id = block.GetProperty("tool_use_id").GetString()!;
                if (role != "user" || !pendingUses.ContainsKey(id))
                {
                    return $"messages.{index}.content.{blockIndex}: unexpected `tool_use_id` found in `tool_result` blocks: "
                        + $"{id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
                }

                answered.Add(id);
            }

            blockIndex++;
        }

        return null;
    }

    /// <summary>Checked when a user turn ends; a trailing assistant turn with tool_use is a normal pending call.</summary>
    private static string? Unanswered(Dictionary<string, int> pendingUses, HashSet<string> answered)
    {
        var missing = pendingUses.Where(use => !answered.Contains(use.Key)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var ids = string.Join(", ", missing.Select(use => use.Key));
        return $"messages.{missing[0].Value}: `tool_use` ids were found without `tool_result` blocks immediately after: {ids}. "
            + "Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
    }
}
