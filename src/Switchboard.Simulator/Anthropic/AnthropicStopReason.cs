using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Maps the plan's OpenAI-vocabulary finish reason to <c>stop_reason</c>; other values pass through verbatim.</summary>
internal static class AnthropicStopReason
{
    public static string For(ResponsePlan plan) => plan.FinishReason switch
    {
        "stop" => plan.StopSequence is null ? "end_turn" : "stop_sequence",
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        "content_filter" => "refusal",
        var raw => raw,
    };

    /// <summary>The matched sequence, only alongside <c>stop_reason: "stop_sequence"</c>.</summary>
    public static string? SequenceFor(ResponsePlan plan) => For(plan) == "stop_sequence" ? plan.StopSequence : null;
}
