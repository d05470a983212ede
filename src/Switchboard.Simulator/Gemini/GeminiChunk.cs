using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// One stream chunk: a single part (thought fragments first, then text fragments or whole function calls), the
/// cumulative usage so far, and — on the last chunk only — the finish reason.
/// </summary>
internal readonly record struct GeminiChunk(GeminiPart[] Parts, bool Final, int ThoughtsSoFar, int TextSoFar)
{
    public static List<GeminiChunk> SequenceFor(ResponsePlan plan)
    {
        // A blocked prompt streams one promptFeedback chunk, which carries no finish reason and so survives omit_done.
        if (plan.BlockPrompt is not null)
        {
            return [new GeminiChunk([], Final: false, 0, 0)];
        }

        var parts = new List<GeminiPart>();
        parts.AddRange(plan.ReasoningTokens.Select(fragment => new GeminiPart(GeminiPartKind.Thought, fragment)));
        if (plan.HasToolCalls)
        {
            parts.AddRange(plan.ToolCalls.Select((_, index) => new GeminiPart(GeminiPartKind.FunctionCall, ToolIndex: index)));
        }
        else
        {
            parts.AddRange(plan.Tokens.Select(token => new GeminiPart(GeminiPartKind.Text, token)));
        }

        if (parts.Count == plan.ReasoningTokens.Count && !plan.HasToolCalls)
        {
            parts.Add(new GeminiPart(GeminiPartKind.Text, string.Empty)); // the finish reason needs a chunk to ride on
        }

        var chunks = new List<GeminiChunk>(parts.Count);
        var (thoughts, text) = (0, 0);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            thoughts += part.Kind == GeminiPartKind.Thought ? 1 : 0;
            text += part.Kind == GeminiPartKind.Text && part.Text.Length > 0 ? 1 : 0;
            chunks.Add(new GeminiChunk([part], Final: i == parts.Count - 1, thoughts, text));
        }

        if (plan.Faults.OmitDone)
        {
            chunks.RemoveAt(chunks.Count - 1);
        }

        return chunks;
    }

    /// <summary>Usage as of this chunk: counts grow with the fragments sent and reach the plan's totals at the end.</summary>
    public TokenUsage? UsageFor(ResponsePlan plan)
    {
        if (plan.Usage is not { } total || Final || plan.BlockPrompt is not null)
        {
            return plan.Usage;
        }

        var reasoning = Math.Min(ThoughtsSoFar, total.ReasoningTokens);
        return total with
        {
            CompletionTokens = Math.Min(reasoning + TextSoFar, total.CompletionTokens),
            ReasoningTokens = reasoning,
        };
    }
}
