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

    /// <summary>The full completion text (empty for tool calls).</summary>
    public required string Text { get; init; }

    /// <summary><see cref="Text"/> split into stream tokens.</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>When non-empty the response carries these calls instead of text.</summary>
    public required IReadOnlyList<PlannedToolCall> ToolCalls { get; init; }

    public required string FinishReason { get; init; }

    /// <summary>Null when the script asked to omit usage entirely.</summary>
    public required TokenUsage? Usage { get; init; }

    public required StreamPacing Pacing { get; init; }

    public required StreamFaults Faults { get; init; }

    public bool HasToolCalls => ToolCalls.Count > 0;
}

internal sealed record ErrorReply(int Status, string? RawBody, int? RetryAfterSeconds);

internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

internal sealed record StreamPacing(int FirstChunkDelayMs, int ChunkDelayMs, int KeepaliveComments);
