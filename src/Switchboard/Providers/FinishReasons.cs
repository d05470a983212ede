using System.Text.Json;

namespace Switchboard.Providers;

/// <summary>
/// Maps provider finish reasons to OpenAI's set (stop, length, tool_calls, content_filter, error). SDKs such as
/// openai-dotnet reject values outside it, so anything unrecognised becomes <c>stop</c>; the raw value is always
/// kept in <c>native_finish_reason</c>.
/// </summary>
internal static class FinishReasons
{
    public static string Normalize(string native) => native switch
    {
        "stop" or "length" or "tool_calls" or "content_filter" or "error" => native,
        "function_call" or "tool_use" => "tool_calls",
        "max_tokens" or "MAX_TOKENS" or "model_length" or "model_context_window_exceeded" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>The string the reader is on, as a shared instance when it is one of OpenAI's own reasons (the usual case).</summary>
    public static string Read(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("stop"u8) ? "stop"
        : reader.ValueTextEquals("length"u8) ? "length"
        : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
        : reader.ValueTextEquals("content_filter"u8) ? "content_filter"
        : reader.GetString()!;
}
