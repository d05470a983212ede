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
/// Changes of the circuit and failures go to <paramref name="outbox"/>, when replicas share health, under the
/// endpoint's <paramref name="index"/>; what other replicas saw comes back through <see cref="ApplyRemote"/>.
/// </summary>
internal sealed class EndpointHealth(TimeProvider time, int index, FleetHealthOutbox? outbox)
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
    private long _probe;

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

    /// <summary>When this endpoint last failed (a <see cref="TimeProvider"/> timestamp); 0 if never.</summary>
    public long LastFailure
    {
        get
        {
            lock (_lock)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>
    /// Called just before a request is sent. When the cool-down has ended (half-open) only one request may probe the
    /// endpoint; others keep skipping it until the probe reports. <paramref name="force"/> sends the request even while
    /// the circuit is open: the caller has nothing else to try, and a request is never refused untried. The request
    /// becomes the probe when none is in flight. <paramref name="probe"/> identifies it for <see cref="ReleaseProbe"/>
    /// (0: not a probe).
    /// </summary>
    public bool TryAcquire(bool force, out long probe)
    {
        probe = 0;
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_openUntil == 0)
            {
                return true;
            }
            if (_probeInFlight)
            {
                return force;
            }
            if (now < _openUntil && !force)
            {
                return false;
            }
            _probeInFlight = true;
            probe = ++_probe;
            return true;
        }
    }

    public void RecordSuccess(TimeSpan timeToFirstToken, double? tokensPerSecond)
    {
        bool closed;
        lock (_lock)
        {
            closed = _openUntil != 0;
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
        if (closed)
        {
            outbox?.Note(index, HealthSignal.Closed);
        }
    }

    /// <summary>
    /// A provider-side failure. A rate limit ranks the endpoint after healthy ones for the recent-failure window but
    /// never opens its circuit: one tenant's traffic must not lock a model out for the others, and the provider takes
    /// requests again as soon as its window allows. Rate limits count toward neither the circuit nor uptime, as on
    /// OpenRouter.
    /// </summary>
    public void RecordFailure(bool rateLimited, int failureThreshold, TimeSpan coolDown)
    {
        var now = time.GetTimestamp();
        var signal = HealthSignal.Failed;
        lock (_lock)
        {
            _lastFailure = now;
            if (rateLimited)
            {
                _probeInFlight = false; // answered, so reachable: the verdict waits for the next request
            }
            else
            {
                _consecutiveFailures++;
                if (_probeInFlight || _consecutiveFailures >= failureThreshold)
                {
                    signal = HealthSignal.Opened;
                    _openUntil = now + (long)(coolDown.TotalSeconds * time.TimestampFrequency);
                    _probeInFlight = false;
                }
                Uptime.Record(time.GetUtcNow(), success: false);
            }
        }
        outbox?.Note(index, signal);
    }

    /// <summary>
    /// Ends a half-open probe that reported no verdict: the client went away, the failure was the client's, or the
    /// attempt threw. Called on every path after an attempt; does nothing once the probe has reported, or for a probe
    /// other than <paramref name="probe"/>.
    /// </summary>
    public void ReleaseProbe(long probe)
    {
        if (probe == 0)
        {
            return;
        }
        lock (_lock)
        {
            if (_probe == probe)
            {
                _probeInFlight = false;
            }
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
                CircuitOpen: _openUntil != 0 && (now < _openUntil || _probeInFlight));
        }
    }

    private UptimeBuckets Uptime => _uptime ??= new UptimeBuckets();

    /// <summary>An endpoint whose changes stay in this process.</summary>
    public EndpointHealth(TimeProvider time)
        : this(time, -1, null)
    {
    }

    /// <summary>
    /// Applies what another replica saw <paramref name="age"/> ago (by the store's clock). A failure ranks the endpoint
    /// after healthy ones for the rest of the recent-failure window. An opened circuit is opened here for what remains
    /// of the cool-down, unless it is open already or probed; then, as for a circuit opened here, one request probes
    /// it. A close ends an open circuit not being probed. Nothing applied here is published again.
    /// </summary>
    public void ApplyRemote(HealthSignal signal, TimeSpan age, TimeSpan coolDown)
    {
        var now = time.GetTimestamp();
        var at = now - (long)(Math.Max(0, age.TotalSeconds) * time.TimestampFrequency);
        lock (_lock)
        {
            switch (signal)
            {
                case HealthSignal.Failed:
                    _lastFailure = Math.Max(_lastFailure, at);
                    break;
                case HealthSignal.Opened when !_probeInFlight && (_openUntil == 0 || now >= _openUntil) && age < coolDown:
                    _lastFailure = Math.Max(_lastFailure, at);
                    _openUntil = at + (long)(coolDown.TotalSeconds * time.TimestampFrequency);
                    break;
                case HealthSignal.Closed when _openUntil != 0 && !_probeInFlight:
                    _openUntil = 0;
                    _consecutiveFailures = 0;
                    break;
            }
        }
    }

    private readonly record struct Sample(long Timestamp, double LatencyMs, double TokensPerSecond);
}

internal sealed record EndpointHealthSnapshot(
    double? Uptime5m, double? Uptime30m, double? Uptime1h, double? Uptime1d, Percentiles? Latency, Percentiles? Throughput, bool CircuitOpen);
