namespace Switchboard.Simulator.Scripting;

/// <summary>Resolves a script (or its absence) and the request's own limits into a <see cref="ResponsePlan"/>.</summary>
internal static class ResponsePlanner
{
    /// <param name="defaultReplySentences">How long an unscripted reply is (<see cref="SimulatorOptions.DefaultReplySentences"/>).</param>
    public static ResponsePlan Create(SimulatorScript? script, GenerationRequest request, int defaultReplySentences = 1)
    {
        script ??= SimulatorScript.Empty;

        var toolCalls = PlanToolCalls(script, request);
        var reasoning = script.Reasoning ?? string.Empty;
        GeneratedOutput output;
        int answerTokens;
        if (toolCalls.Length > 0)
        {
            output = CompletionLimits.ForToolCalls(reasoning);
            answerTokens = Math.Max(1, toolCalls.Sum(call => call.Arguments.Length) / 4);
        }
        else
        {
            var (text, tokens) = Answer(script, request.PromptHash, defaultReplySentences);
            output = CompletionLimits.Apply(reasoning, text, tokens, request);
            answerTokens = output.Tokens.Length;
        }

        var reasoningTokens = output.ReasoningTokens.Length;
        return new ResponsePlan
        {
            LatencyMs = script.LatencyMs ?? 0,
            Hang = script.Hang ?? false,
            Error = script.Status is { } status and not 200
                ? new ErrorReply(status, script.ErrorBody, script.RetryAfter)
                : null,
            Reasoning = output.Reasoning,
            ReasoningTokens = output.ReasoningTokens,
            Text = output.Text,
            Tokens = output.Tokens,
            ToolCalls = toolCalls,
            FinishReason = script.FinishReason
                ?? (output.HitTokenLimit ? "length" : toolCalls.Length > 0 ? "tool_calls" : "stop"),
            StopSequence = output.StopSequence,
            BlockPrompt = script.BlockPrompt,
            Usage = script.OmitUsage == true
                ? null
                : Usage(script.Usage, request.PromptTokens, Billed(answerTokens + reasoningTokens, request.MaxTokens), reasoningTokens),
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
            StampContent = script.StampContent ?? false,
        };
    }

    /// <summary>
    /// A scripted <c>json</c> value wins over <c>content</c>, which wins over <c>tokens</c> words of the generated
    /// default, which is otherwise its whole first sentences.
    /// </summary>
    private static (string Text, string[] Tokens) Answer(SimulatorScript script, ulong promptHash, int defaultReplySentences)
    {
        if ((script.Json ?? script.Content) is { } text)
        {
            return (text, TextFragments.SplitWords(text));
        }

        var generated = script.Tokens is { } tokens
            ? GeneratedText.For(tokens, promptHash)
            : GeneratedText.Whole(defaultReplySentences, promptHash);
        return (generated.Text, generated.Tokens);
    }

    /// <summary>Scripted calls, or — when the request forces one tool — the scripted <c>json</c> as that tool's arguments.</summary>
    private static PlannedToolCall[] PlanToolCalls(SimulatorScript script, GenerationRequest request)
    {
        if (script.ToolCalls is { Count: > 0 } calls)
        {
            return [.. calls.Select(call => new PlannedToolCall(RandomIds.Next(request.ToolIdPrefix), call.Name, call.Arguments))];
        }

        return script.Json is { } json && request.ForcedTool is { } tool
            ? [new PlannedToolCall(RandomIds.Next(request.ToolIdPrefix), tool, json)]
            : [];
    }

    /// <summary>
    /// Output tokens as a real API bills them: never more than the request's limit. Tool calls are sent whole here
    /// (a truncated call is unusable in every dialect), but their count stops at the limit as a provider's would.
    /// </summary>
    private static int Billed(int generated, int? maxTokens) => maxTokens is { } limit ? Math.Min(generated, Math.Max(limit, 0)) : generated;

    /// <summary>An unscripted prompt count is the estimate plus the scripted cache tokens, which it would include.</summary>
    private static TokenUsage Usage(ScriptedUsage? scripted, int estimate, int completion, int reasoning)
    {
        var read = scripted?.CacheReadTokens ?? 0;
        var write = scripted?.CacheWriteTokens ?? 0;
        return new TokenUsage(
            scripted?.PromptTokens ?? estimate + read + write,
            scripted?.CompletionTokens ?? completion,
            read,
            write,
            scripted?.ReasoningTokens ?? reasoning,
            scripted?.ImageTokens ?? 0);
    }
}
