using Switchboard.Api;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// How an upstream failure is reported to the client: 408 for timeouts, 429 for rate limits, 503 for overload,
/// 502 for everything else on the provider's side, and the provider's own status for errors in the request.
/// </summary>
internal static class UpstreamErrors
{
    public static ApiError ToApiError(UpstreamFailure failure, string providerName, IReadOnlyList<AttemptSummary>? attempts = null)
    {
        var (status, type) = failure switch
        {
            { Kind: FailureKind.Timeout } => (408, "timeout"),
            { Kind: FailureKind.Shutdown } => (503, "shutting_down"),
            { Kind: FailureKind.HttpStatus, Status: 400 or 413 or 422 } => (failure.Status.Value, "invalid_request"),
            { Status: 429 } => (429, "rate_limit_exceeded"),
            { Status: 503 or 529 } => (503, "provider_overloaded"),
            { Kind: FailureKind.HttpStatus, Status: 408 or 504 or 524 } => (408, "timeout"),
            _ => (502, "provider_unavailable"),
        };
        return new ApiError(status, $"{providerName}: {failure.Message}", new ErrorMetadata
        {
            ErrorType = type,
            ProviderName = providerName,
            ProviderStatus = failure.Status,
            Raw = failure.Raw,
            Attempts = attempts,
        })
        { RetryAfterSeconds = failure.RetryAfterSeconds };
    }

    public static string Describe(UpstreamFailure failure) => failure.Kind switch
    {
        FailureKind.HttpStatus => $"http_{failure.Status}",
        FailureKind.NotConfigured => "not_configured",
        FailureKind.Connection => "connection_failed",
        FailureKind.Timeout => "timeout",
        FailureKind.InvalidResponse => "invalid_response",
        FailureKind.Truncated => "truncated",
        FailureKind.Shutdown => "shutdown",
        _ => "failed",
    };
}
