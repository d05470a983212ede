namespace Switchboard.Simulator.Scripting;

/// <summary>Resolves a script (or its absence) into a <see cref="ResponsePlan"/>.</summary>
internal static class ResponsePlanner
{
    private const int DefaultTokens = 8;

    public static ResponsePlan Create(SimulatorScript? script, int promptTokens)
    {
        script ??= SimulatorScript.Empty;

        var toolCalls = PlanToolCalls(script.ToolCalls);
        string text;
        IReadOnlyList<string> tokens;
        int completionTokens;
        if (toolCalls.Length > 0)
        {
            (text, tokens) = (string.Empty, []);
            completionTokens = Math.Max(1, toolCalls.Sum(call => call.Arguments.Length) / 4);
        }
        else if (script.Content is { } content)
        {
            (text, tokens) = (content, TextFragments.SplitWords(content));
            completionTokens = tokens.Count;
        }
        else
        {
            var generated = GeneratedText.For(script.Tokens ?? DefaultTokens);
            (text, tokens) = (generated.Text, generated.Tokens);
            completionTokens = tokens.Count;
        }

        return new ResponsePlan
        {
            LatencyMs = script.LatencyMs ?? 0,
            Hang = script.Hang ?? false,
            Error = script.Status is { } status and not 200
                ? new ErrorReply(status, script.ErrorBody, script.RetryAfter)
                : null,
            Text = text,
            Tokens = tokens,
            ToolCalls = toolCalls,
            FinishReason = script.FinishReason ?? (toolCalls.Length > 0 ? "tool_calls" : "stop"),
            Usage = script.OmitUsage == true
                ? null
                : new TokenUsage(
                    script.Usage?.PromptTokens ?? promptTokens,
                    script.Usage?.CompletionTokens ?? completionTokens),
            Pacing = new StreamPacing(
                script.FirstChunkDelayMs ?? 0,
                script.ChunkDelayMs ?? 0,
                script.KeepaliveComments ?? 0),
            Faults = new StreamFaults(
                script.ResetAfterEvents,
                script.HangAfterEvents,
                script.ErrorEventAfter,
                script.MalformedAfterEvents,
                script.OmitDone ?? false),
        };
    }

    private static PlannedToolCall[] PlanToolCalls(IReadOnlyList<ScriptedToolCall>? calls)
    {
        if (calls is null || calls.Count == 0)
        {
            return [];
        }

        var planned = new PlannedToolCall[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            planned[i] = new PlannedToolCall(calls[i].Name, calls[i].Arguments);
        }

        return planned;
    }
}
