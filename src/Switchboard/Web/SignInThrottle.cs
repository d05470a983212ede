using System.Threading.RateLimiting;

namespace Switchboard.Web;

/// <summary>
/// Bounds wrong operator passwords: at most <see cref="FailuresPerMinute"/> a minute across all clients, then every
/// password sign-in is refused until the minute is over. Management keys need no such guard: they are 256 random bits.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const int FailuresPerMinute = 10;

    private readonly FixedWindowRateLimiter _failures = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = FailuresPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    /// <summary>False once this minute's failures are used up: refuse without checking the password.</summary>
    public bool MayTry() => _failures.GetStatistics()?.CurrentAvailablePermits > 0;

    public void Failed()
    {
        using var _ = _failures.AttemptAcquire();
    }

    public void Dispose() => _failures.Dispose();
}
