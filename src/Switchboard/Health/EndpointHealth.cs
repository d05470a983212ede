namespace Switchboard.Health;

internal enum EndpointAvailability
{
    /// <summary>No failure in the recent-failure window.</summary>
    Healthy,

    /// <summary>Failed recently: still usable, ranked after healthy endpoints.</summary>
    Degraded,

    /// <summary>Circuit open: skipped until the cool-down ends.</summary>
    Open,
}

/// <summary>An endpoint as reported to people (<see cref="EndpointHealthRegistry.State"/>).</summary>
internal enum EndpointState
{
    Healthy,
    Degraded,
    CircuitOpen,
    NotConfigured,
}

/// <summary>
/// Live record of one endpoint: a circuit breaker, smoothed latency and throughput for routing, recent samples
/// for percentiles and per-minute outcome counts for uptime. One lock per endpoint; uncontended in practice.
/// </summary>
internal sealed class EndpointHealth(TimeProvider time)
{
    private const int SampleCapacity = 256;
    private const double Smoothing = 0.2;

    private readonly Lock _lock = new();
    private readonly Sample[] _samples = new Sample[SampleCapacity];
    private int _sampleCount;
    private int _sampleNext;
    private UptimeBuckets? _uptime;

    private int _consecutiveFailures;
    private long _lastFailure;
    private long _openUntil;
    private bool _probeInFlight;

    /// <summary>Smoothed time to first token, ms; null until the first success.</summary>
    public double? LatencyMs { get; private set; }

    /// <summary>Smoothed generation speed, completion tokens per second; null until measured.</summary>
    public double? TokensPerSecond { get; private set; }

    public EndpointAvailability Availability(TimeSpan recentFailureWindow)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_openUntil != 0)
            {
                return now < _openUntil || _probeInFlight ? EndpointAvailability.Open : EndpointAvailability.Degraded;
            }
            return _lastFailure != 0 && time.GetElapsedTime(_lastFailure, now) < recentFailureWindow
                ? EndpointAvailability.Degraded
                : EndpointAvailability.Healthy;
        }
    }

    /// <summary>
    /// Called just before a request is sent. When the cool-down has ended (half-open) only one request
    /// may probe the endpoint; others keep skipping it until the probe reports.
    /// </summary>
    public bool TryAcquire()
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_openUntil == 0)
            {
                return true;
            }
            if (now < _openUntil || _probeInFlight)
            {
                return false;
            }
            _probeInFlight = true;
            return true;
        }
    }

    public void RecordSuccess(TimeSpan timeToFirstToken, double? tokensPerSecond)
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            _openUntil = 0;
            _probeInFlight = false;
            var latency = timeToFirstToken.TotalMilliseconds;
            LatencyMs = LatencyMs is { } l ? l + (Smoothing * (latency - l)) : latency;
            if (tokensPerSecond is { } tps)
            {
                TokensPerSecond = TokensPerSecond is { } t ? t + (Smoothing * (tps - t)) : tps;
            }
            _samples[_sampleNext] = new Sample(time.GetTimestamp(), latency, tokensPerSecond ?? double.NaN);
            _sampleNext = (_sampleNext + 1) % SampleCapacity;
            _sampleCount = Math.Min(_sampleCount + 1, SampleCapacity);
            Uptime.Record(time.GetUtcNow(), success: true);
        }
    }

    /// <summary>A provider-side failure. Rate limits count toward ranking but not toward uptime, as on OpenRouter.</summary>
    public void RecordFailure(bool rateLimited, int failureThreshold, TimeSpan coolDown)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _lastFailure = now;
            _consecutiveFailures++;
            if (_probeInFlight || _consecutiveFailures >= failureThreshold)
            {
                _openUntil = now + (long)(coolDown.TotalSeconds * time.TimestampFrequency);
                _probeInFlight = false;
            }
            if (!rateLimited)
            {
                Uptime.Record(time.GetUtcNow(), success: false);
            }
        }
    }

    /// <summary>Releases a half-open probe that ended without a verdict (e.g. the client went away).</summary>
    public void ReleaseProbe()
    {
        lock (_lock)
        {
            _probeInFlight = false;
        }
    }

    public EndpointHealthSnapshot Snapshot(TimeSpan window)
    {
        var now = time.GetTimestamp();
        var utcNow = time.GetUtcNow();
        lock (_lock)
        {
            var latencies = new List<double>(_sampleCount);
            var throughputs = new List<double>(_sampleCount);
            for (var i = 0; i < _sampleCount; i++)
            {
                var sample = _samples[i];
                if (time.GetElapsedTime(sample.Timestamp, now) > window)
                {
                    continue;
                }
                latencies.Add(sample.LatencyMs);
                if (!double.IsNaN(sample.TokensPerSecond))
                {
                    throughputs.Add(sample.TokensPerSecond);
                }
            }
            return new EndpointHealthSnapshot(
                Uptime5m: _uptime?.Percent(utcNow, TimeSpan.FromMinutes(5)),
                Uptime30m: _uptime?.Percent(utcNow, TimeSpan.FromMinutes(30)),
                Uptime1h: _uptime?.Percent(utcNow, TimeSpan.FromHours(1)),
                Uptime1d: _uptime?.Percent(utcNow, TimeSpan.FromDays(1)),
                Latency: Percentiles.Of(latencies),
                Throughput: Percentiles.Of(throughputs),
                CircuitOpen: _openUntil != 0 && now < _openUntil);
        }
    }

    private UptimeBuckets Uptime => _uptime ??= new UptimeBuckets();

    private readonly record struct Sample(long Timestamp, double LatencyMs, double TokensPerSecond);
}

internal sealed record EndpointHealthSnapshot(
    double? Uptime5m, double? Uptime30m, double? Uptime1h, double? Uptime1d, Percentiles? Latency, Percentiles? Throughput, bool CircuitOpen);
