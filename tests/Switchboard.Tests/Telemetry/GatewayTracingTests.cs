using System.Diagnostics;
using Switchboard.Telemetry;

namespace Switchboard.Tests.Telemetry;

/// <summary>Spans end on every path, the unexpected one included.</summary>
public sealed class GatewayTracingTests
{
    [Fact]
    public void An_attempt_that_throws_still_ends_its_span_as_an_error_named_by_the_exception()
    {
        using var source = new ActivitySource($"tracing-test-{Guid.NewGuid():n}");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => ReferenceEquals(candidate, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var request = source.StartActivity("chat test/multi")!;
        var attempt = source.StartActivity("chat alpha-model", ActivityKind.Client)!;

        GatewayTracing.AttemptThrew(attempt, new InvalidOperationException("a bug in an attempt"));

        Assert.Same(attempt, Assert.Single(stopped));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, attempt.GetTagItem("error.type"));
        // The flow's current span is the request's again, so whatever follows is not recorded under the dead attempt.
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void Without_a_listener_an_attempt_that_throws_has_no_span_to_end()
    {
        GatewayTracing.AttemptThrew(null, new InvalidOperationException("untraced"));
    }
}
