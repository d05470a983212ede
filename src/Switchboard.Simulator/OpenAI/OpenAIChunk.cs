using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

internal enum OpenAIChunkKind
{
    Role,
    Reasoning,
    Content,
    ToolCallStart,
    ToolCallArguments,
    Finish,
    Usage,
}

/// <summary>One <c>chat.completion.chunk</c> event to send; <see cref="Text"/> and <see cref="ToolIndex"/> depend on the kind.</summary>
internal readonly record struct OpenAIChunk(OpenAIChunkKind Kind, string? Text = null, int ToolIndex = 0)
{
    /// <summary>The data events of a stream in order: role, reasoning, content or tool-call deltas, finish, then usage.</summary>
    public static IEnumerable<OpenAIChunk> SequenceFor(ResponsePlan plan, bool sendUsageChunk)
    {
        yield return new OpenAIChunk(OpenAIChunkKind.Role);

        foreach (var fragment in plan.ReasoningTokens)
        {
            yield return new OpenAIChunk(OpenAIChunkKind.Reasoning, fragment);
        }

        for (var index = 0; index < plan.ToolCalls.Count; index++)
        {
            yield return new OpenAIChunk(OpenAIChunkKind.ToolCallStart, ToolIndex: index);
            foreach (var fragment in plan.ToolCalls[index].ArgumentFragments)
            {
                yield return new OpenAIChunk(OpenAIChunkKind.ToolCallArguments, fragment, index);
            }
        }

        if (!plan.HasToolCalls)
        {
            foreach (var token in plan.Tokens)
            {
                yield return new OpenAIChunk(OpenAIChunkKind.Content, token);
            }
        }

        yield return new OpenAIChunk(OpenAIChunkKind.Finish, plan.FinishReason);

        if (sendUsageChunk)
        {
            yield return new OpenAIChunk(OpenAIChunkKind.Usage);
        }
    }
}
