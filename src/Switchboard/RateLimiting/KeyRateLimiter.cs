using System.Globalization;
using Switchboard.Api;
using Switchboard.Keys;

namespace Switchboard.RateLimiting;

/// <summary>
/// Requests per minute per inference key: the key's own <c>requests_per_minute</c>, else (and at most)
/// <c>Switchboard:RateLimits:RequestsPerMinute</c>; 0 is unlimited. Held for the whole fleet: budgets leased from the
/// store per UTC minute (<see cref="FleetWindowCounter{TKey}"/>).
/// </summary>
internal sealed class KeyRateLimiter(RateLimitOptions options, IRateWindows windows, FleetSize fleet, TimeProvider time, ILogger<KeyRateLimiter> logger)
{
    private readonly FleetWindowCounter<long> _perMinute = new("key requests per minute", TimeSpan.FromMinutes(1),
        static id => "key-rpm:" + id.ToString(CultureInfo.InvariantCulture), windows, fleet, options.StoreTimeout, time, logger);

    internal FleetWindowCounter<long> Counter => _perMinute;

    /// <summary>The one place the key's limit comes from: its own, never above the gateway's; 0 or less is unlimited.</summary>
    public long LimitFor(CallerKey key) => key.RequestsPerMinuteUnder(options.RequestsPerMinute);

    /// <returns>
    /// The 429 to send, or null when the request may go ahead. A key without a limit never touches the store, and
    /// its call completes synchronously without allocating.
    /// </returns>
    public ValueTask<ApiError?> TryAcquireAsync(CallerKey key, CancellationToken cancellationToken) =>
        TryAcquireAsync(key.Id, LimitFor(key), cancellationToken);

    public ValueTask<ApiError?> TryAcquireAsync(long keyId, long limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return default;
        }
        var pending = _perMinute.TryAcquireAsync(keyId, limit, cancellationToken);
        return pending.IsCompletedSuccessfully ? ValueTask.FromResult(Refusal(pending.Result)) : AwaitAsync(pending);
    }

    private static async ValueTask<ApiError?> AwaitAsync(ValueTask<WindowDecision> pending) => Refusal(await pending.ConfigureAwait(false));

    private static ApiError? Refusal(WindowDecision decision) => decision.Allowed ? null : decision.Refusal("key_requests_per_minute",
        $"Rate limit exceeded: {decision.Limit} requests per minute for this key. Retry after {decision.RetryAfterSeconds} s.");
}
