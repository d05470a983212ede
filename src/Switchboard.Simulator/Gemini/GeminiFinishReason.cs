using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// Maps the plan's OpenAI-vocabulary finish reason to <c>finishReason</c>; other values (e.g. <c>RECITATION</c>) pass
/// through verbatim. Gemini has no tool-call reason: calls finish with <c>STOP</c>.
/// </summary>
internal static class GeminiFinishReason
{
    public static string For(ResponsePlan plan) => plan.FinishReason switch
    {
        "stop" or "tool_calls" => "STOP",
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        var raw => raw,
    };
}
