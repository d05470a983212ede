using Microsoft.Extensions.Time.Testing;
using Switchboard.Health;

namespace Switchboard.Tests.Routing;

/// <summary>The circuit breaker of one endpoint, on a clock the test moves.</summary>
public sealed class EndpointHealthTests
{
    private const int Threshold = 3;
    private static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();
    private readonly EndpointHealth _health;

    public EndpointHealthTests() => _health = new EndpointHealth(_time);

    private void Fail(int times = Threshold, bool rateLimited = false)
    {
        for (var i = 0; i < times; i++)
        {
            _health.RecordFailure(rateLimited, Threshold, CoolDown);
        }
    }

    [Fact]
    public void Rate_limits_never_open_the_circuit_but_rank_the_endpoint_as_degraded()
    {
        Fail(times: 100, rateLimited: true);

        Assert.Equal(EndpointAvailability.Degraded, _health.Availability(Window));
        Assert.True(_health.TryAcquire(force: false, out var probe));
        Assert.Equal(0, probe);
        Assert.False(_health.Snapshot(Window).CircuitOpen);
    }

    [Fact]
    public void An_open_circuit_refuses_until_forced_and_the_forced_request_becomes_the_probe()
    {
        Fail();

        Assert.False(_health.TryAcquire(force: false, out _));
        Assert.True(_health.TryAcquire(force: true, out var probe));
        Assert.NotEqual(0, probe);
        Assert.True(_health.TryAcquire(force: true, out var second)); // forced again while the probe is out: sent, not a probe
        Assert.Equal(0, second);

        _health.RecordSuccess(TimeSpan.FromMilliseconds(100), null);
        Assert.Equal(EndpointAvailability.Healthy, _health.Availability(TimeSpan.Zero));
    }

    [Fact]
    public void A_released_probe_lets_the_next_request_probe_and_routing_and_reports_agree_meanwhile()
    {
        Fail();
        _time.Advance(CoolDown);
        Assert.True(_health.TryAcquire(force: false, out var probe));

        // While the probe is out, routing skips the endpoint, and the report says so.
        Assert.Equal(EndpointAvailability.Open, _health.Availability(Window));
        Assert.True(_health.Snapshot(Window).CircuitOpen);
        Assert.False(_health.TryAcquire(force: false, out _));

        _health.ReleaseProbe(probe);

        Assert.Equal(EndpointAvailability.Degraded, _health.Availability(Window));
        Assert.False(_health.Snapshot(Window).CircuitOpen);
        Assert.True(_health.TryAcquire(force: false, out var next));
        Assert.NotEqual(probe, next);
    }

    [Fact]
    public void Releasing_an_old_probe_never_frees_a_newer_one()
    {
        Fail();
        _time.Advance(CoolDown);
        Assert.True(_health.TryAcquire(force: false, out var first));
        _health.RecordFailure(rateLimited: false, Threshold, CoolDown); // the probe failed: open again
        _time.Advance(CoolDown);
        Assert.True(_health.TryAcquire(force: false, out var second));

        _health.ReleaseProbe(first);

        Assert.False(_health.TryAcquire(force: false, out _));
        _health.ReleaseProbe(second);
        Assert.True(_health.TryAcquire(force: false, out _));
    }

    [Fact]
    public void The_least_recent_failure_is_what_the_planner_orders_paused_endpoints_by()
    {
        Assert.Equal(0, _health.LastFailure);
        Fail(times: 1);
        var first = _health.LastFailure;
        _time.Advance(TimeSpan.FromSeconds(1));
        Fail(times: 1);
        Assert.True(_health.LastFailure > first);
    }
}
