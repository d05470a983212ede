using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>How an OpenAI answer ended and what it used, in Anthropic's terms; shared by the response and stream writers.</summary>
internal static class MessagesOutcome
{
    /// <summary>
    /// Anthropic's <c>stop_reason</c> for an OpenAI <c>finish_reason</c>. OpenAI says "stop" both for a natural end and
    /// for a stop sequence; the gateway keeps the provider's own reason in <c>native_finish_reason</c>, which tells them apart.
    /// </summary>
    public static string StopReason(string? finishReason, string? nativeFinishReason) => finishReason switch
    {
        "stop" => nativeFinishReason == "stop_sequence" ? "stop_sequence" : "end_turn",
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    /// <summary>
    /// Writes <c>"usage":{…}</c>. OpenAI's <c>prompt_tokens</c> include cache reads and writes; Anthropic's
    /// <c>input_tokens</c> exclude both, so they are taken off (never below zero, should a provider count oddly).
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter json, JsonElement usage)
    {
        var prompt = JsonValues.Count(usage, "prompt_tokens");
        JsonValues.TryGetValue(usage, "prompt_tokens_details", out var details);
        var cacheRead = JsonValues.Count(details, "cached_tokens");
        var cacheWrite = JsonValues.Count(details, "cache_write_tokens");
        json.WriteStartObject("usage"u8);
        json.WriteNumber("input_tokens"u8, Math.Max(0, prompt - cacheRead - cacheWrite));
        json.WriteNumber("output_tokens"u8, JsonValues.Count(usage, "completion_tokens"));
        json.WriteNumber("cache_creation_input_tokens"u8, cacheWrite);
        json.WriteNumber("cache_read_input_tokens"u8, cacheRead);
        json.WriteEndObject();
    }

    /// <summary>
    /// <c>"caller":{"type":"direct"}</c>: who made a tool call, which Anthropic's API states on every <c>tool_use</c>
    /// block and its current SDKs require (the .NET SDK refuses a block without it). A translated model calls its
    /// tools itself.
    /// </summary>
    public static void WriteDirectCaller(Utf8JsonWriter json)
    {
        json.WriteStartObject("caller"u8);
        json.WriteString("type"u8, "direct");
        json.WriteEndObject();
    }
}
