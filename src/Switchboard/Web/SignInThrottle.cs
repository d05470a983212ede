using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.RateLimiting;

namespace Switchboard.Web;

/// <summary>
/// Bounds operator password guesses: at most <see cref="FailuresPerMinute"/> a UTC minute from one client address (an
/// IPv6 client by its /64) across the whole fleet, then that address's password sign-ins are refused, the right
/// password included, on every replica until the minute is over. Management keys need no such guard: they are 256
/// random bits.
/// </summary>
/// <remarks>
/// Per address, not global: a global count let anyone lock the operator out with ten guesses a minute. An attacker
/// with many addresses gets ten guesses a minute from each, which is why the password must be at least 12
/// characters.
/// <para>
/// Exact across replicas: before a password is compared, the attempt takes one of the address's ten places in the
/// minute from the store (<c>rate_windows</c>, scope <c>signin:&lt;address&gt;</c>; one conditional statement that
/// never grants past ten), so concurrent guesses on several replicas cannot all slip in under the count. The right
/// password gives its place back. Password sign-ins are rare, so a statement each is nothing. This process also
/// keeps its own count of wrong ones (at most <c>Switchboard:Authentication:TrackedAddresses</c> addresses), which
/// refuses an address it has seen fail ten times without asking the store, and decides alone when the store does
/// not answer within <see cref="RateLimitOptions.StoreTimeout"/>: then an address is refused once this process has
/// seen its share of the limit (<see cref="FleetSize.Share"/>).
/// </para>
/// </remarks>
internal sealed partial class SignInThrottle(
    IOptions<SwitchboardOptions> options, IRateWindows windows, FleetSize fleet, TimeProvider time, ILogger<SignInThrottle> logger)
{
    public const int FailuresPerMinute = 10;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _timeout = options.Value.RateLimits.StoreTimeout;

    private readonly AddressThrottle _local = new(
        "operator password", FailuresPerMinute, Minute, options.Value.Authentication.TrackedAddresses, time, logger);

    /// <summary>Client addresses with wrong passwords this minute, as this process counted them.</summary>
    public int TrackedAddresses => _local.TrackedAddresses;

    /// <summary>
    /// Takes a place for one password attempt from the address. The attempt is refused (with how long to wait) when
    /// the address has used up the minute across the fleet.
    /// </summary>
    public async ValueTask<SignInAttempt> BeginAsync(IPAddress? address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var minute = ClockWindow.At(now, Minute);
        if (_local.RetryAfter(address) is { } wait)
        {
            return new SignInAttempt(wait, null);
        }
        var window = minute.Span(Scope(address));
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var lease = await windows.LeaseAsync(window, 1, FailuresPerMinute, linked.Token).ConfigureAwait(false);
            return lease.Granted > 0 ? new SignInAttempt(null, window) : new SignInAttempt(minute.End - now, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.StoreUnavailable(logger, ex is OperationCanceledException ? null : ex);
            return _local.Failures(address) >= fleet.Share(FailuresPerMinute) ? new SignInAttempt(minute.End - now, null) : new SignInAttempt(null, null);
        }
    }

    /// <summary>A wrong password: the attempt keeps its place in the store, and this process counts it too.</summary>
    public void Failed(IPAddress? address) => _local.Failed(address);

    /// <summary>The right password: its place goes back, so the operator's own sign-ins never use up the minute.</summary>
    public async Task SucceededAsync(SignInAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Place is not { } window)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await windows.AddAsync(window, -1, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.StoreUnavailable(logger, ex is OperationCanceledException ? null : ex); // the place lapses with the minute
        }
    }

    private static string Scope(IPAddress? address) =>
        "signin:" + ClientAddress.From(address).Value.ToString("x32", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The operator-password throttle could not reach the store in time; this process decides on its own count, against its share of the limit.")]
        public static partial void StoreUnavailable(ILogger logger, Exception? exception);
    }
}

/// <summary>A password attempt: refused (<see cref="RetryAfter"/> set), or allowed, holding a place in the store's window when it could get one.</summary>
internal readonly record struct SignInAttempt(TimeSpan? RetryAfter, WindowSpan? Place);
