namespace Switchboard.Providers;

internal enum FailureKind
{
    /// <summary>The provider has no credential; nothing was sent.</summary>
    NotConfigured,

    /// <summary>Connecting failed, or the connection broke.</summary>
    Connection,

    /// <summary>No response headers in time, or the stream went silent for too long.</summary>
    Timeout,

    /// <summary>The upstream answered with an error status.</summary>
    HttpStatus,

    /// <summary>A 2xx response we could not read: malformed JSON, or an error object inside it.</summary>
    InvalidResponse,

    /// <summary>The stream ended before the generation finished.</summary>
    Truncated,

    /// <summary>This gateway is stopping and the drain deadline came: the attempt was ended, through no fault of the provider.</summary>
    Shutdown,
}

/// <summary>
/// Why one attempt failed, in enough detail to decide on fallback and to tell the client. The provider's words
/// (<see cref="Message"/>, <see cref="Raw"/>) are redacted as the failure is made (<see cref="ProviderErrorText"/>),
/// so no path onward (the client's error, attempt summaries, generation records, logs) can carry a credential.
/// </summary>
internal sealed record UpstreamFailure(FailureKind Kind, string Message, int? Status = null, string? Raw = null, int? RetryAfterSeconds = null)
{
    public string Message { get; init => field = ProviderErrorText.Redact(value); } = ProviderErrorText.Redact(Message);

    /// <summary>The upstream's error body, redacted, for <c>metadata.raw</c>.</summary>
    public string? Raw { get; init => field = value is null ? null : ProviderErrorText.Redact(value); } = Raw is null ? null : ProviderErrorText.Redact(Raw);

    /// <summary>
    /// Whether another endpoint may succeed where this one failed. Errors about the client's request
    /// (400, 413, 422) would fail everywhere, so they go straight back to the client.
    /// </summary>
    public bool AllowsFallback => Kind switch
    {
        FailureKind.Shutdown => false,
        FailureKind.HttpStatus => Status is not (400 or 413 or 422),
        _ => true,
    };

    /// <summary>
    /// Says something about the endpoint's health. A refusal of the client's own request (400, 404 for a model the
    /// provider does not know, 413, 422) does not: any tenant can send those at will, and counting them would let one
    /// tenant pause a model for every other. Nor does a stop of this gateway.
    /// </summary>
    public bool CountsAgainstEndpoint => Kind switch
    {
        FailureKind.Shutdown => false,
        FailureKind.HttpStatus => Status is not (400 or 404 or 413 or 422),
        _ => true,
    };

    public static UpstreamFailure ShuttingDown { get; } =
        new(FailureKind.Shutdown, "The gateway is stopping and its drain deadline has passed; retry the request.", RetryAfterSeconds: 1);

    public bool IsRateLimit => Status == 429;

    /// <summary>The provider refused the credential or its quota (401, 403, 429): about the caller's key, not the endpoint.</summary>
    public bool RefusesCredential => Status is 401 or 403 or 429;
}
