namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Wall-clock time the test sets (for limit resets at midnight UTC); timestamps and timers stay real, so
/// latency measurements and background loops behave normally.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
