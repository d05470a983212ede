namespace Switchboard.Simulator.Scripting;

/// <summary>
/// The optional <c>"simulator"</c> object of a request body. Every field is nullable so that
/// per-provider overrides can be merged field by field onto the top-level script.
/// </summary>
internal sealed record SimulatorScript
{
    public static readonly SimulatorScript Empty = new();

    public int? LatencyMs { get; init; }
    public int? Status { get; init; }
    public string? ErrorBody { get; init; }
    public int? RetryAfter { get; init; }
    public string? Content { get; init; }
    public int? Tokens { get; init; }
    public int? ChunkDelayMs { get; init; }
    public int? FirstChunkDelayMs { get; init; }
    public IReadOnlyList<ScriptedToolCall>? ToolCalls { get; init; }
    public string? FinishReason { get; init; }
    public ScriptedUsage? Usage { get; init; }
    public bool? OmitUsage { get; init; }
    public int? KeepaliveComments { get; init; }
    public bool? Hang { get; init; }
    public int? HangAfterEvents { get; init; }
    public int? ResetAfterEvents { get; init; }
    public int? MalformedAfterEvents { get; init; }
    public int? ErrorEventAfter { get; init; }
    public bool? OmitDone { get; init; }
    public string? Reasoning { get; init; }

    /// <summary>The scripted <c>json</c> value, already serialized compactly.</summary>
    public string? Json { get; init; }

    public string? BlockPrompt { get; init; }

    public bool? StampContent { get; init; }

    /// <summary>Shallow merge: every field set in <paramref name="overrides"/> wins.</summary>
    public SimulatorScript MergeWith(SimulatorScript overrides) => new()
    {
        LatencyMs = overrides.LatencyMs ?? LatencyMs,
        Status = overrides.Status ?? Status,
        ErrorBody = overrides.ErrorBody ?? ErrorBody,
        RetryAfter = overrides.RetryAfter ?? RetryAfter,
        Content = overrides.Content ?? Content,
        Tokens = overrides.Tokens ?? Tokens,
        ChunkDelayMs = overrides.ChunkDelayMs ?? ChunkDelayMs,
        FirstChunkDelayMs = overrides.FirstChunkDelayMs ?? FirstChunkDelayMs,
        ToolCalls = overrides.ToolCalls ?? ToolCalls,
        FinishReason = overrides.FinishReason ?? FinishReason,
        Usage = overrides.Usage ?? Usage,
        OmitUsage = overrides.OmitUsage ?? OmitUsage,
        KeepaliveComments = overrides.KeepaliveComments ?? KeepaliveComments,
        Hang = overrides.Hang ?? Hang,
        HangAfterEvents = overrides.HangAfterEvents ?? HangAfterEvents,
        ResetAfterEvents = overrides.ResetAfterEvents ?? ResetAfterEvents,
        MalformedAfterEvents = overrides.MalformedAfterEvents ?? MalformedAfterEvents,
        ErrorEventAfter = overrides.ErrorEventAfter ?? ErrorEventAfter,
        OmitDone = overrides.OmitDone ?? OmitDone,
        Reasoning = overrides.Reasoning ?? Reasoning,
        Json = overrides.Json ?? Json,
        BlockPrompt = overrides.BlockPrompt ?? BlockPrompt,
        StampContent = overrides.StampContent ?? StampContent,
    };
}

internal sealed record ScriptedToolCall(string Name, string Arguments);

/// <param name="ReasoningTokens">Replaces the count of the scripted <c>reasoning</c>; a part of the completion tokens.</param>
/// <param name="ImageTokens">Output image tokens, a part of the completion tokens (OpenAI and Gemini report them).</param>
internal sealed record ScriptedUsage(int? PromptTokens, int? CompletionTokens, int? CacheReadTokens, int? CacheWriteTokens, int? ReasoningTokens = null, int? ImageTokens = null);
