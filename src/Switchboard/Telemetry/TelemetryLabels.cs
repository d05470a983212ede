using Switchboard.Chat;
using Switchboard.Generations;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Telemetry;

/// <summary>
/// Every label value the gateway's metrics use, from fixed sets: a client's input never becomes a series. Strings are
/// made once, so recording allocates nothing.
/// </summary>
internal static class TelemetryLabels
{
    /// <summary>The model of a request that never reached a route (unparsable, unknown model): one series, not one per name sent.</summary>
    public const string Unknown = "unknown";

    /// <summary>The provider of a request no endpoint delivered.</summary>
    public const string None = "none";

    /// <summary>
    /// Request durations, seconds: a cached or tiny answer takes tens of milliseconds, a long reasoning stream minutes.
    /// </summary>
    public static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600];

    /// <summary>Time to first token, seconds: finer below a second, where interactive use notices a difference.</summary>
    public static readonly double[] FirstTokenBuckets = [0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 15, 30, 60];

    private static readonly string[] Codes = Enumerable.Range(0, 600).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string Api(IngressDialect dialect) => IngressDialects.RecordedApi(dialect);

    public static string StatusCode(int status) => (uint)status < (uint)Codes.Length ? Codes[status] : "other";

    public static string StatusClass(int status) => status switch
    {
        >= 200 and < 300 => "2xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    /// <summary>
    /// How one endpoint call ended: <c>success</c>, <c>client_closed</c>, <c>broke_after_content</c> (a stream cut after
    /// the client had content: delivered, but with an error), or why it failed (<see cref="FailureReason"/>).
    /// </summary>
    public static string Outcome(in AttemptOutcome outcome) => outcome switch
    {
        { Result: AttemptResult.ClientGone } => "client_closed",
        { Failure: { } failure, Result: AttemptResult.Failed } => FailureReason(failure),
        { Failure: not null } => "broke_after_content",
        _ => "success",
    };

    /// <summary>
    /// Why an endpoint failed, coarser than <see cref="UpstreamErrors.Describe"/>: a provider's status code is any
    /// number it likes, so statuses are grouped.
    /// </summary>
    public static string FailureReason(UpstreamFailure failure) => failure switch
    {
        { Kind: FailureKind.Timeout } => "timeout",
        { Kind: FailureKind.Connection } => "connection",
        { Kind: FailureKind.InvalidResponse } => "invalid_response",
        { Kind: FailureKind.Truncated } => "truncated",
        { Kind: FailureKind.Shutdown } => "shutdown",
        { Kind: FailureKind.NotConfigured } => "not_configured",
        { Status: 429 } => "rate_limited",
        { Status: 401 or 403 } => "credential_refused",
        { Status: 408 or 504 or 524 } => "timeout",
        { Status: 503 or 529 } => "overloaded",
        { Status: >= 500 } => "server_error",
        _ => "client_error",
    };
}
