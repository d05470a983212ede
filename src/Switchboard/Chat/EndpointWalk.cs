using Switchboard.Health;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Chat;

/// <summary>
/// The order a generation calls its planned endpoints in, shared by chat generations and embeddings: each in turn,
/// except that an endpoint with no credential is recorded and passed over, none is called once the drain deadline has
/// passed, and one whose health refuses it (circuit open, or another request probing it) is deferred, then called
/// anyway when nothing else could be, the one that failed least recently first (the plan puts it first among them).
/// </summary>
/// <remarks>A struct, kept in the handler's state: walking allocates nothing unless an endpoint is deferred.</remarks>
internal struct EndpointWalk(IReadOnlyList<RouteAttempt> plan, ProviderSet providers, EndpointHealthRegistry health, GenerationAttempts attempts, CancellationToken drainDeadline)
{
    private List<RouteAttempt>? _deferred;
    private int _next;
    private bool _called;
    private bool _over;

    /// <summary>
    /// The next endpoint to call, its health's probe taken (release it with <see cref="EndpointHealth.ReleaseProbe"/>
    /// whatever happens); false when the walk is over.
    /// </summary>
    public bool TryNext(out RouteAttempt route, out ProviderRuntime provider, out EndpointHealth endpointHealth, out long probe)
    {
        while (!_over && (_next < plan.Count || (!_called && _deferred is { Count: > 0 })))
        {
            var forced = _next >= plan.Count;
            route = forced ? _deferred![0] : plan[_next];
            _next++;
            if (forced)
            {
                _deferred!.RemoveAt(0);
            }
            provider = providers[route.Endpoint.Provider];
            if (!provider.IsConfigured)
            {
                attempts.NotConfigured(route, provider);
                continue;
            }
            if (drainDeadline.IsCancellationRequested)
            {
                attempts.Failed(route, provider, UpstreamFailure.ShuttingDown, TimeSpan.Zero);
                break;
            }
            endpointHealth = health[route.Endpoint];
            if (!endpointHealth.TryAcquire(force: forced, out probe))
            {
                (_deferred ??= []).Add(route);
                continue;
            }
            _called = true;
            return true;
        }
        _over = true;
        (route, provider, endpointHealth, probe) = (null!, null!, null!, 0);
        return false;
    }

    /// <summary>Records the endpoints deferred for their health and never called, once the generation is over.</summary>
    public readonly void RecordDeferred()
    {
        foreach (var route in _deferred ?? [])
        {
            attempts.Skipped(route, providers[route.Endpoint.Provider]);
        }
    }
}
