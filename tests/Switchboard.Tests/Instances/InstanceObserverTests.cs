using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;

namespace Switchboard.Tests.Instances;

/// <summary>
/// Which instances a replica takes for dead: only those whose beat has stood still for the owner timeout on the
/// observer's own clock, never one that keeps beating, however slowly or whatever its clock says.
/// </summary>
public sealed class InstanceObserverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void An_instance_whose_beat_stands_still_for_the_timeout_is_dead_and_not_a_moment_before()
    {
        var observer = new InstanceObserver(_time, Timeout);
        Assert.Empty(observer.Observe([new InstanceBeat("b", 7)], "a"));

        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(observer.Observe([new InstanceBeat("b", 7)], "a"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([new InstanceBeat("b", 7)], observer.Observe([new InstanceBeat("b", 7)], "a"));
    }

    [Fact]
    public void A_beat_that_moves_keeps_an_instance_alive_however_long_it_runs()
    {
        var observer = new InstanceObserver(_time, Timeout);
        for (var beat = 1; beat < 100; beat++)
        {
            Assert.Empty(observer.Observe([new InstanceBeat("b", beat)], "a"));
            _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void A_replica_that_just_started_waits_a_whole_timeout_before_it_judges_anyone()
    {
        _time.Advance(TimeSpan.FromHours(5));
        var observer = new InstanceObserver(_time, Timeout);

        Assert.Empty(observer.Observe([new InstanceBeat("b", 3)], "a"));
        _time.Advance(Timeout / 2);
        Assert.Empty(observer.Observe([new InstanceBeat("b", 3)], "a"));
    }

    [Fact]
    public void An_instance_never_judges_itself_and_forgets_rows_that_are_gone()
    {
        var observer = new InstanceObserver(_time, Timeout);
        observer.Observe([new InstanceBeat("a", 1), new InstanceBeat("b", 1)], "a");
        _time.Advance(Timeout * 2);

        Assert.Equal([new InstanceBeat("b", 1)], observer.Observe([new InstanceBeat("a", 1), new InstanceBeat("b", 1)], "a"));
        observer.Observe([new InstanceBeat("a", 1)], "a"); // b was reclaimed
        Assert.Empty(observer.Observe([new InstanceBeat("a", 1), new InstanceBeat("b", 1)], "a")); // seen afresh if it returned
    }
}
