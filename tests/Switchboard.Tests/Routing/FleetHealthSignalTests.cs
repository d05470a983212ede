using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Health;

namespace Switchboard.Tests.Routing;

/// <summary>
/// What one endpoint's health tells other replicas (through the outbox) and takes from them (<see cref="EndpointHealth.ApplyRemote"/>),
/// on a clock the test moves.
/// </summary>
public sealed class FleetHealthSignalTests
{
    private const int Threshold = 3;
    private const int Index = 7;
    private static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly FleetHealthOutbox _outbox = Outbox(DatabaseProvider.Postgres);
    private readonly EndpointHealth _health;

    public FleetHealthSignalTests() => _health = new EndpointHealth(_time, Index, _outbox);

    private static FleetHealthOutbox Outbox(DatabaseProvider provider) =>
        new(Options.Create(new SwitchboardOptions { Database = new DatabaseOptions { Provider = provider } }));

    private void Fail(int times = Threshold)
    {
        for (var i = 0; i < times; i++)
        {
            _health.RecordFailure(rateLimited: false, Threshold, CoolDown);
        }
    }

    [Fact]
    public void Sharing_is_on_for_PostgreSQL_only()
    {
        Assert.True(Outbox(DatabaseProvider.Postgres).Enabled);
        Assert.False(Outbox(DatabaseProvider.Sqlite).Enabled);
        Assert.False(new FleetHealthOutbox(Options.Create(new SwitchboardOptions
        {
            Database = new DatabaseOptions { Provider = DatabaseProvider.Postgres },
            Health = new HealthOptions { ShareInterval = TimeSpan.Zero },
        })).Enabled);
    }

    [Fact]
    public void A_success_on_a_healthy_endpoint_tells_no_one_and_a_failure_says_failed()
    {
        _health.RecordSuccess(TimeSpan.FromMilliseconds(50), null);
        Assert.Empty(_outbox.Drain());

        Fail(times: 1);
        Assert.Equal([(Index, HealthSignal.Failed)], _outbox.Drain());
    }

    [Fact]
    public void An_opened_circuit_stays_the_news_through_later_failures_and_a_success_after_it_says_closed()
    {
        Fail();
        _health.RecordFailure(rateLimited: true, Threshold, CoolDown);
        Assert.Equal([(Index, HealthSignal.Opened)], _outbox.Drain());

        _health.RecordSuccess(TimeSpan.FromMilliseconds(50), null);
        Assert.Equal([(Index, HealthSignal.Closed)], _outbox.Drain());
    }

    [Fact]
    public void A_circuit_another_replica_opened_is_open_here_for_what_remains_of_the_cool_down_then_probed()
    {
        _health.ApplyRemote(HealthSignal.Opened, age: TimeSpan.FromSeconds(10), CoolDown);

        Assert.Equal(EndpointAvailability.Open, _health.Availability(Window));
        Assert.False(_health.TryAcquire(force: false, out _));
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(_health.TryAcquire(force: false, out _));
        _time.Advance(TimeSpan.FromSeconds(1)); // 10 s old + 20 s here: the cool-down is over
        Assert.True(_health.TryAcquire(force: false, out var probe));
        Assert.NotEqual(0, probe);
        Assert.Empty(_outbox.Drain()); // what came from elsewhere is not published again
    }

    [Fact]
    public void A_signal_older_than_the_cool_down_opens_nothing()
    {
        _health.ApplyRemote(HealthSignal.Opened, age: CoolDown, CoolDown);

        Assert.True(_health.TryAcquire(force: false, out var probe));
        Assert.Equal(0, probe);
    }

    [Fact]
    public void Another_replicas_failure_ranks_the_endpoint_lower_for_the_rest_of_the_window()
    {
        _health.ApplyRemote(HealthSignal.Failed, age: TimeSpan.FromSeconds(25), CoolDown);
        Assert.Equal(EndpointAvailability.Degraded, _health.Availability(Window));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(EndpointAvailability.Healthy, _health.Availability(Window));
    }

    [Fact]
    public void A_close_from_another_replica_ends_an_open_circuit_but_never_one_being_probed()
    {
        Fail();
        _health.ApplyRemote(HealthSignal.Closed, age: TimeSpan.Zero, CoolDown);
        Assert.True(_health.TryAcquire(force: false, out var afterClose));
        Assert.Equal(0, afterClose);

        Fail();
        _time.Advance(CoolDown);
        Assert.True(_health.TryAcquire(force: false, out var probe));
        _health.ApplyRemote(HealthSignal.Closed, age: TimeSpan.Zero, CoolDown);
        Assert.Equal(EndpointAvailability.Open, _health.Availability(Window)); // this replica's probe decides
        _health.ReleaseProbe(probe);
    }

    [Fact]
    public void An_open_circuit_here_is_not_extended_by_an_older_open_elsewhere()
    {
        Fail();
        _time.Advance(TimeSpan.FromSeconds(20));
        _health.ApplyRemote(HealthSignal.Opened, age: TimeSpan.Zero, CoolDown);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_health.TryAcquire(force: false, out var probe)); // this replica's own cool-down ended
        Assert.NotEqual(0, probe);
    }
}
