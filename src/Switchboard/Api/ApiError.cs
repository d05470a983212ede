namespace Switchboard.Api;

/// <summary>
/// An error in OpenRouter's shape, <c>{"error":{"code","message","metadata"}}</c>. Expected failures travel as
/// values of this type from where they are found to the one place that writes them.
/// </summary>
internal sealed record ApiError(int Status, string Message, ErrorMetadata? Metadata = null)
{
    public static ApiError BadRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, new ErrorMetadata { ErrorType = "invalid_request", Param = param });

    public static ApiError NotFound(string message, string errorType = "not_found") =>
        new(StatusCodes.Status404NotFound, message, new ErrorMetadata { ErrorType = errorType });

    public static ApiError BodyTooLarge(long maxBytes) => new(StatusCodes.Status413PayloadTooLarge,
        $"Request body is larger than {maxBytes} bytes (Switchboard:MaxRequestBodyBytes).");

    /// <summary>Seconds for a <c>Retry-After</c> header, when the error has one.</summary>
    public int? RetryAfterSeconds { get; init; }
}

/// <summary>The <c>metadata</c> object. Only set fields are written.</summary>
internal sealed class ErrorMetadata
{
    public string? ErrorType { get; init; }
    public string? Param { get; init; }
    public string? ProviderName { get; init; }

    /// <summary>The model to use instead of a retired one (<c>model_retired</c>).</summary>
    public string? Successor { get; init; }

    /// <summary>
    /// The upstream's error body, so clients can act on the provider's own message; credentials and upstream account
    /// ids are taken out first (<see cref="Providers.ProviderErrorText"/>).
    /// </summary>
    public string? Raw { get; init; }
    public int? ProviderStatus { get; init; }
    public IReadOnlyList<string>? MissingSettings { get; init; }
    public IReadOnlyList<string>? RequestedModels { get; init; }
    public IReadOnlyList<string>? ExcludedBy { get; init; }
    public IReadOnlyList<AttemptSummary>? Attempts { get; init; }

    /// <summary>Which limit refused the request (402 and 429 from the gateway itself), e.g. <c>key_limit</c>.</summary>
    public string? LimitSource { get; init; }

    /// <summary>
    /// <c>X-RateLimit-*</c> values of a 429 the gateway issued, as OpenRouter repeats them in metadata.
    /// They are sent as response headers too.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The key's rule that refused the request (403 <c>key_model_not_allowed</c>, <c>key_provider_not_allowed</c>).</summary>
    public string? Rule { get; init; }

    /// <summary>The model a key's rule refused, as its catalog id (with the variant asked for).</summary>
    public string? Model { get; init; }

    /// <summary>What the refusing rule allows: the key's model patterns or provider slugs.</summary>
    public IReadOnlyList<string>? Allowed { get; init; }
}

/// <summary>One try, as reported in error metadata, <c>openrouter_metadata.attempts</c> and generation records.</summary>
internal sealed record AttemptSummary(string Provider, string Model, int? Status, string Outcome, string? Message, int? LatencyMs = null);
