using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

internal enum AnthropicEventKind
{
    MessageStart,
    Ping,
    ThinkingStart,
    ThinkingDelta,
    SignatureDelta,
    TextStart,
    TextDelta,
    ToolUseStart,
    InputJsonDelta,
    BlockStop,
    MessageDelta,
    MessageStop,
}

/// <summary>One named event of a Messages stream; <see cref="Index"/> is the content block index where it applies.</summary>
internal readonly record struct AnthropicStreamEvent(AnthropicEventKind Kind, int Index = 0, string? Text = null, int ToolIndex = 0)
{
    public ReadOnlySpan<byte> Name => Kind switch
    {
        AnthropicEventKind.MessageStart => "message_start"u8,
        AnthropicEventKind.Ping => "ping"u8,
        AnthropicEventKind.ThinkingStart or AnthropicEventKind.TextStart or AnthropicEventKind.ToolUseStart => "content_block_start"u8,
        AnthropicEventKind.BlockStop => "content_block_stop"u8,
        AnthropicEventKind.MessageDelta => "message_delta"u8,
        AnthropicEventKind.MessageStop => "message_stop"u8,
        _ => "content_block_delta"u8,
    };

    /// <summary>
    /// message_start, then per block start / deltas / stop (block indexes count thinking, text and tool_use blocks
    /// alike), a ping right after the first block start as the real API sends it, message_delta and message_stop.
    /// </summary>
    public static List<AnthropicStreamEvent> SequenceFor(ResponsePlan plan)
    {
        var events = new List<AnthropicStreamEvent> { new(AnthropicEventKind.MessageStart) };
        var index = 0;
        if (plan.HasReasoning)
        {
            StartBlock(events, AnthropicEventKind.ThinkingStart, index);
            events.AddRange(plan.ReasoningTokens.Select(fragment => new AnthropicStreamEvent(AnthropicEventKind.ThinkingDelta, index, fragment)));
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.SignatureDelta, index));
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.BlockStop, index++));
        }

        if (!plan.HasToolCalls && plan.Text.Length > 0)
        {
            StartBlock(events, AnthropicEventKind.TextStart, index);
            events.AddRange(plan.Tokens.Select(token => new AnthropicStreamEvent(AnthropicEventKind.TextDelta, index, token)));
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.BlockStop, index++));
        }

        for (var tool = 0; tool < plan.ToolCalls.Count; tool++)
        {
            StartBlock(events, AnthropicEventKind.ToolUseStart, index, tool);

            // Recorded streams open every tool_use with an empty partial_json before the real fragments.
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.InputJsonDelta, index, string.Empty));
            events.AddRange(plan.ToolCalls[tool].ArgumentFragments.Select(fragment =>
                new AnthropicStreamEvent(AnthropicEventKind.InputJsonDelta, index, fragment)));
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.BlockStop, index++));
        }

        if (index == 0)
        {
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.Ping));
        }

        events.Add(new AnthropicStreamEvent(AnthropicEventKind.MessageDelta));
        if (!plan.Faults.OmitDone)
        {
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.MessageStop));
        }

        return events;
    }

    private static void StartBlock(List<AnthropicStreamEvent> events, AnthropicEventKind kind, int index, int tool = 0)
    {
        events.Add(new AnthropicStreamEvent(kind, index, ToolIndex: tool));
        if (index == 0)
        {
            events.Add(new AnthropicStreamEvent(AnthropicEventKind.Ping));
        }
    }
}
