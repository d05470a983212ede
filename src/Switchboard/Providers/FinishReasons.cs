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
}
