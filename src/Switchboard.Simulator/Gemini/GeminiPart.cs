using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

internal enum GeminiPartKind
{
    Thought,
    Text,
    FunctionCall,
}

/// <summary>One candidate part: a thought or text fragment, or a whole function call (by index into the plan).</summary>
internal readonly record struct GeminiPart(GeminiPartKind Kind, string Text = "", int ToolIndex = 0)
{
    /// <summary>The non-streamed parts: the whole thought first, then the text or every function call.</summary>
    public static GeminiPart[] WholeAnswer(ResponsePlan plan)
    {
        var parts = new List<GeminiPart>();
        if (plan.HasReasoning)
        {
            parts.Add(new GeminiPart(GeminiPartKind.Thought, plan.Reasoning));
        }

        if (plan.HasToolCalls)
        {
            parts.AddRange(plan.ToolCalls.Select((_, index) => new GeminiPart(GeminiPartKind.FunctionCall, ToolIndex: index)));
        }
        else if (plan.Text.Length > 0 || parts.Count == 0)
        {
            parts.Add(new GeminiPart(GeminiPartKind.Text, plan.Text));
        }

        return [.. parts];
    }
}
