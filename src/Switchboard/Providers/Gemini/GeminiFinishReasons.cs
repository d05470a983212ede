namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's <c>finishReason</c> in OpenAI's terms. Gemini has no tool-call reason: a candidate that called functions
/// says <c>STOP</c>, and clients that loop on <c>finish_reason == "tool_calls"</c> would stop, so calls decide it.
/// The raw value always travels in <c>native_finish_reason</c>.
/// </summary>
internal static class GeminiFinishReasons
{
    public static string Map(string? native, bool hasToolCalls) => native switch
    {
        "MAX_TOKENS" => "length",
        // Output withheld by a filter, whether for safety, policy, copyright (recitation) or an unsupported language.
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "LANGUAGE"
            or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => "content_filter",
        _ when hasToolCalls => "tool_calls",
        // STOP, and everything that ends a turn without a filter (MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL,
        // OTHER, newer values): "stop", which every SDK accepts, as FinishReasons does for unknown values.
        _ => "stop",
    };
}
