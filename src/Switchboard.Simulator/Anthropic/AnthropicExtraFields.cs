using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// The API rejects fields it does not know ("Extra inputs are not permitted"), which is how an OpenAI-only field
/// leaking through the gateway's translation (<c>n</c>, <c>frequency_penalty</c>, a message <c>name</c>) shows up.
/// Content blocks are not checked: their optional fields (cache_control, citations, …) change too often.
/// <c>count_tokens</c> takes fewer fields: what shapes the prompt, not what shapes the generation.
/// </summary>
internal static class AnthropicExtraFields
{
    // "simulator" is not an Anthropic field; accepting it keeps the top-level script usable when calling directly.
    private static readonly FrozenSet<string> RequestFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "model", "messages", "max_tokens", "system", "stop_sequences", "stream", "temperature", "top_p", "top_k",
        "metadata", "tools", "tool_choice", "thinking", "service_tier", "container", "mcp_servers", "output_config",
        "context_management", "cache_control", "inference_geo", "simulator");

    private static readonly FrozenSet<string> CountFields = FrozenSet.Create(
        StringComparer.Ordinal,
        "model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers", "output_config", "context_management",
        "cache_control", "simulator");

    private static readonly FrozenSet<string> MessageFields = FrozenSet.Create(StringComparer.Ordinal, "role", "content");

    /// <param name="counting">The body of <c>count_tokens</c>, which rejects <c>max_tokens</c>, <c>stream</c> and the sampling fields.</param>
    public static string? Validate(JsonElement root, bool counting = false)
    {
        if (Extra(root, counting ? CountFields : RequestFields) is { } field)
        {
            return $"{field}: Extra inputs are not permitted";
        }

        var index = 0;
        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            if (Extra(message, MessageFields) is { } messageField)
            {
                return $"messages.{index}.{messageField}: Extra inputs are not permitted";
            }

            index++;
        }

        return null;
    }

    private static string? Extra(JsonElement obj, FrozenSet<string> known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                return property.Name;
            }
        }

        return null;
    }
}
