namespace Switchboard.Simulator.Scripting;

/// <summary>The reasoning and answer actually generated once the request's stop sequences and token limit apply.</summary>
internal sealed record GeneratedOutput(
    string Reasoning,
    string[] ReasoningTokens,
    string Text,
    string[] Tokens,
    string? StopSequence,
    bool HitTokenLimit);

/// <summary>
/// Applies stop sequences and the output-token limit the way a model meets them while generating: the answer ends
/// right before the earliest stop sequence, and a limit smaller than reasoning + answer tokens cuts the reasoning
/// first, then the answer. A cut by the limit wins over a stop sequence that would only have been reached later.
/// </summary>
internal static class CompletionLimits
{
    public static GeneratedOutput Apply(string reasoning, string text, string[] tokens, GenerationRequest request)
    {
        var reasoningTokens = TextFragments.SplitWords(reasoning);
        string? stopSequence = null;
        if (EarliestStop(text, request.StopSequences) is { } stop)
        {
            text = text[..stop.Index];
            tokens = TextFragments.SplitWords(text);
            stopSequence = stop.Sequence;
        }

        if (request.MaxTokens is not { } limit || reasoningTokens.Length + tokens.Length <= limit)
        {
            return new GeneratedOutput(reasoning, reasoningTokens, text, tokens, stopSequence, HitTokenLimit: false);
        }

        limit = Math.Max(0, limit);
        var keptReasoning = reasoningTokens[..Math.Min(reasoningTokens.Length, limit)];
        var keptTokens = tokens[..(limit - keptReasoning.Length)];
        return new GeneratedOutput(
            string.Concat(keptReasoning), keptReasoning, string.Concat(keptTokens), keptTokens, null, HitTokenLimit: true);
    }

    /// <summary>Tool calls are exempt from the limit: a truncated call would be unusable in every dialect.</summary>
    public static GeneratedOutput ForToolCalls(string reasoning)
    {
        var reasoningTokens = TextFragments.SplitWords(reasoning);
        return new GeneratedOutput(reasoning, reasoningTokens, string.Empty, [], null, HitTokenLimit: false);
    }

    private static (int Index, string Sequence)? EarliestStop(string text, IReadOnlyList<string> stopSequences)
    {
        (int Index, string Sequence)? earliest = null;
        foreach (var sequence in stopSequences)
        {
            if (sequence.Length == 0)
            {
                continue;
            }

            var index = text.IndexOf(sequence, StringComparison.Ordinal);
            if (index >= 0 && (earliest is null || index < earliest.Value.Index))
            {
                earliest = (index, sequence);
            }
        }

        return earliest;
    }
}
