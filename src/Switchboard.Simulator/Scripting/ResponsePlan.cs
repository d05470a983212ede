namespace Switchboard.Simulator.Scripting;

/// <summary>
/// Everything a dialect writer needs to answer one request, resolved from the script and
/// the request so that writers only serialize and never interpret script fields.
/// </summary>
internal sealed class ResponsePlan
{
    public required int LatencyMs { get; init; }

    public required bool Hang { get; init; }

    /// <summary>Non-null when the script asked for an error status instead of a completion.</summary>
    public required ErrorReply? Error { get; init; }

    /// <summary>What the model "thinks" before answering; empty when there is no reasoning.</summary>
    public required string Reasoning { get; init; }

    /// <summary><see cref="Reasoning"/> split into stream fragments.</summary>
    public required IReadOnlyList<string> ReasoningTokens { get; init; }

    /// <summary>The full completion text (empty for tool calls).</summary>
    public required string Text { get; init; }

    /// <summary><see cref="Text"/> split into stream tokens.</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>When non-empty the response carries these calls instead of text.</summary>
    public required IReadOnlyList<PlannedToolCall> ToolCalls { get; init; }

    /// <summary>In OpenAI's vocabulary (<c>stop</c>, <c>length</c>, …) or a raw scripted value; dialects map it.</summary>
    public required string FinishReason { get; init; }

    /// <summary>The request's stop sequence that ended the text, or null.</summary>
    public required string? StopSequence { get; init; }

    /// <summary>Gemini only: answer with no candidates and this <c>promptFeedback.blockReason</c>.</summary>
    public required string? BlockPrompt { get; init; }

    /// <summary>Null when the script asked to omit usage entirely.</summary>
    public required TokenUsage? Usage { get; init; }

    public required StreamPacing Pacing { get; init; }

    public required StreamFaults Faults { get; init; }

    /// <summary>
    /// OpenAI streams only: each content event carries its send time instead of its token, so a client on the same
    /// machine can time every event's trip (see <c>stamp_content</c> in the README).
    /// </summary>
    public required bool StampContent { get; init; }

    public bool HasToolCalls => ToolCalls.Count > 0;

    public bool HasReasoning => ReasoningTokens.Count > 0;
}

internal sealed record ErrorReply(int Status, string? RawBody, int? RetryAfterSeconds);

/// <summary>Token counts with OpenAI's inclusion rules; dialects with other rules derive theirs from these.</summary>
/// <param name="PromptTokens">All input tokens, cached ones included.</param>
/// <param name="CompletionTokens">All output tokens, reasoning included.</param>
internal readonly record struct TokenUsage(
    int PromptTokens,
    int CompletionTokens,
    int CacheReadTokens = 0,
    int CacheWriteTokens = 0,
    int ReasoningTokens = 0,
    int ImageTokens = 0)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

internal sealed record StreamPacing(int FirstChunkDelayMs, int ChunkDelayMs, int KeepaliveComments);
