using System.Net;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.RateLimiting;

namespace Switchboard.Web;

/// <summary>
/// Bounds wrong operator passwords: at most <see cref="FailuresPerMinute"/> a UTC minute from one client address (an
/// IPv6 client by its /64), then that address's password sign-ins are refused, the right password included, until
/// the minute is over. Management keys need no such guard: they are 256 random bits.
/// </summary>
/// <remarks>
/// Per address, not global: a global count let anyone lock the operator out with ten guesses a minute. An attacker
/// with many addresses gets ten guesses a minute from each, which is why the password must be at least 12
/// characters; the table of addresses is bounded by <c>Switchboard:Authentication:TrackedAddresses</c>.
/// </remarks>
internal sealed class SignInThrottle(IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
{
    public const int FailuresPerMinute = 10;

    private readonly AddressThrottle _failures = new(
        "operator password", FailuresPerMinute, TimeSpan.FromMinutes(1), options.Value.Authentication.TrackedAddresses, time, logger);

    /// <summary>Client addresses with wrong passwords this minute.</summary>
    public int TrackedAddresses => _failures.TrackedAddresses;

    /// <returns>How long the address must wait before its next password sign-in, or null when it may try now.</returns>
    public TimeSpan? RetryAfter(IPAddress? address) => _failures.RetryAfter(address);

    public void Failed(IPAddress? address) => _failures.Failed(address);
}
