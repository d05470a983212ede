using System.Net;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Configuration;
using Switchboard.RateLimiting;

namespace Switchboard.Keys;

/// <summary>
/// Looks keys up for a client address, refusing an address that has sent too many wrong keys this minute
/// (<see cref="KeyAuthenticationOptions.FailuresPerMinute"/>). Before, a client could try 1,907 keys a second, each a
/// query when new.
/// </summary>
/// <remarks>
/// Only lookups that could cost a query are refused: a key already in memory is served to a throttled address too.
/// So a client behind the same address as an attacker (a NAT, a proxy whose forwarded headers are not configured)
/// keeps working with its key; only a key this process has not seen yet waits for the minute to end. Only unknown
/// keys count as failures: a disabled or expired key is in memory, costs nothing and is no guess.
/// <para>
/// Per process on purpose, unlike the operator-password throttle (<see cref="Web.SignInThrottle"/>): keys are 256
/// random bits, so guessing one is hopeless however many replicas answer, and what this throttle bounds is the
/// lookups each process makes against the store. A fleet-wide count would cost a store write per wrong key, the very
/// load it is there to stop. With N replicas an address gets N × the limit a minute, each replica's share of lookups
/// staying what it is alone.
/// </para>
/// </remarks>
internal sealed class AuthenticationThrottle
{
    private readonly ApiKeyCache _keys;
    private readonly AddressThrottle? _failures;

    public AuthenticationThrottle(ApiKeyCache keys, IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<AuthenticationThrottle> logger)
    {
        _keys = keys;
        var settings = options.Value.Authentication;
        _failures = settings.FailuresPerMinute > 0
            ? new AddressThrottle("API key", settings.FailuresPerMinute, TimeSpan.FromMinutes(1), settings.TrackedAddresses, time, logger)
            : null;
    }

    /// <summary>Client addresses with wrong keys this minute.</summary>
    public int TrackedAddresses => _failures?.TrackedAddresses ?? 0;

    /// <summary>
    /// The key with this hash (null when there is none); or, with <paramref name="refusal"/> set, nothing, because the
    /// address has used up its failures and the key is not in memory.
    /// </summary>
    /// <remarks>
    /// The refusal is an out parameter so that callers await the same <c>ValueTask&lt;CallerKey?&gt;</c> as before the
    /// throttle: the request path's state machine keeps its size, and a key in memory costs one span lookup as ever.
    /// </remarks>
    public ValueTask<CallerKey?> FindAsync(ReadOnlySpan<char> hash, IPAddress? address, out ApiError? refusal, CancellationToken cancellationToken)
    {
        refusal = null;
        if (_keys.TryGetKnown(hash, out var known))
        {
            return ValueTask.FromResult<CallerKey?>(known);
        }
        if (_failures is null)
        {
            return _keys.FindAsync(hash, cancellationToken);
        }
        if (_failures.RetryAfter(address) is { } wait)
        {
            refusal = Throttled(_failures.Limit, wait);
            return ValueTask.FromResult<CallerKey?>(null);
        }
        var lookup = _keys.FindAsync(hash, cancellationToken);
        return lookup.IsCompletedSuccessfully ? ValueTask.FromResult(Counted(lookup.Result, address)) : AwaitAsync(lookup, address);
    }

    private async ValueTask<CallerKey?> AwaitAsync(ValueTask<CallerKey?> lookup, IPAddress? address) => Counted(await lookup, address);

    private CallerKey? Counted(CallerKey? key, IPAddress? address)
    {
        if (key is null)
        {
            _failures!.Failed(address);
        }
        return key;
    }

    private static ApiError Throttled(int limit, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new ApiError(StatusCodes.Status429TooManyRequests,
            $"Too many wrong API keys from your address: at most {limit} a minute. Retry after {seconds} s.",
            new ErrorMetadata { ErrorType = "rate_limit_exceeded", LimitSource = "authentication_failures" })
        { RetryAfterSeconds = seconds };
    }
}
