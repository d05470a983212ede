namespace Switchboard.Generations;

/// <summary>
/// What one request did: who asked, what served it, every attempt, tokens, cost and timings. Never holds prompt
/// or completion text.
/// </summary>
internal sealed class GenerationRecord
{
    public required string Id { get; set; }
    public long AccountId { get; set; }
    public long ApiKeyId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC day of <see cref="CreatedAt"/>, for per-day activity.</summary>
    public DateOnly Day { get; set; }

    public required string RequestedModel { get; set; }

    /// <summary>The API the request came in through (<see cref="GenerationApi"/>).</summary>
    public string Api { get; set; } = GenerationApi.ChatCompletions;

    /// <summary>The model that answered, or the requested one when nothing did.</summary>
    public required string Model { get; set; }
    public string? ProviderName { get; set; }
    public string? ProviderSlug { get; set; }

    /// <summary>JSON array of every attempt: provider, model, status, outcome, latency.</summary>
    public required string Attempts { get; set; }

    /// <summary>HTTP status the client got (200 for delivered responses, even ones that broke mid-stream).</summary>
    public int Status { get; set; }
    public string? ErrorMessage { get; set; }

    public int TokensPrompt { get; set; }
    public int TokensCompletion { get; set; }
    public int TokensReasoning { get; set; }
    public int TokensCached { get; set; }
    public int TokensCacheWrite { get; set; }

    /// <summary>True when the counts are the gateway's estimate because the provider reported none.</summary>
    public bool TokensEstimated { get; set; }

    /// <summary>USD charged to the account.</summary>
    public decimal Cost { get; set; }

    /// <summary>USD the provider's list price comes to, for BYOK requests (where <see cref="Cost"/> is only the fee).</summary>
    public decimal? UpstreamCost { get; set; }
    public bool IsByok { get; set; }

    /// <summary>Milliseconds from the request's arrival to its end.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Milliseconds from the request's arrival to the first content sent.</summary>
    public int? TimeToFirstTokenMs { get; set; }

    /// <summary>Milliseconds spent generating: first content to end.</summary>
    public int? GenerationTimeMs { get; set; }

    /// <summary>Completion tokens per second of generation time.</summary>
    public double? Throughput { get; set; }

    public string? FinishReason { get; set; }
    public string? NativeFinishReason { get; set; }
    public bool Streamed { get; set; }
    public bool Cancelled { get; set; }

    /// <summary>App attribution: <c>HTTP-Referer</c> and <c>X-Title</c> (or <c>X-OpenRouter-Title</c>).</summary>
    public string? HttpReferer { get; set; }
    public string? AppTitle { get; set; }

    /// <summary>The request's <c>user</c> field.</summary>
    public string? User { get; set; }
}
