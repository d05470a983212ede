using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Pieces written both in the message body and in stream events.</summary>
internal static class AnthropicJson
{
    /// <summary>
    /// Anthropic's <c>input_tokens</c> excludes cache reads and writes, unlike the plan's OpenAI-style prompt count,
    /// so the three add back up to it.
    /// </summary>
    public static int InputTokens(TokenUsage usage) => Math.Max(0, usage.PromptTokens - usage.CacheReadTokens - usage.CacheWriteTokens);

    public static void WriteUsage(Utf8JsonWriter json, TokenUsage usage, int outputTokens)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, InputTokens(usage));
        json.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWriteTokens);
        json.WriteNumber("cache_read_input_tokens"u8, usage.CacheReadTokens);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteEndObject();
    }

    public static void WriteThinkingBlock(Utf8JsonWriter json, string thinking, string signature)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "thinking"u8);
        json.WriteString("thinking"u8, thinking);
        json.WriteString("signature"u8, signature);
        json.WriteEndObject();
    }

    public static void WriteTextBlock(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "text"u8);
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    /// <param name="arguments">The full arguments, or null for a stream's block start, whose input is always <c>{}</c>.</param>
    public static void WriteToolUseBlock(Utf8JsonWriter json, PlannedToolCall call, string? arguments)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_use"u8);
        json.WriteString("id"u8, call.Id);
        json.WriteString("name"u8, call.Name);
        // As the API writes every tool_use block now; current SDKs (the .NET one) refuse a block without it.
        json.WriteStartObject("caller"u8);
        json.WriteString("type"u8, "direct"u8);
        json.WriteEndObject();
        if (arguments is null)
        {
            json.WriteStartObject("input"u8);
            json.WriteEndObject();
        }
        else
        {
            ToolArgumentsJson.Write(json, "input"u8, arguments);
        }

        json.WriteEndObject();
    }
}
