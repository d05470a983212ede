using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;

namespace Switchboard.Health;

/// <summary>
/// Health of every catalog endpoint, indexed by <see cref="CatalogEndpoint.Index"/>. In memory, per replica; on
/// PostgreSQL, replicas tell each other of failures and circuit changes (<see cref="FleetHealthExchange"/>).
/// </summary>
/// <remarks>
/// Discovery adds endpoints after start-up, with indices never given to another endpoint (the built catalog's are
/// <c>0..n-1</c>). The array grows copy-on-grow when an index beyond it is first read: the copy holds the same
/// <see cref="EndpointHealth"/> objects, so a request still holding the old array records into the same state, and no
/// endpoint's history ever moves to another. Reads stay one array load and one bounds check.
/// </remarks>
internal sealed class EndpointHealthRegistry
{
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;
    private readonly FleetHealthOutbox? _outbox;
    private readonly Lock _grow = new();
    private EndpointHealth[] _endpoints;

    public EndpointHealthRegistry(ModelCatalog catalog, IOptions<SwitchboardOptions> options, TimeProvider time, FleetHealthOutbox outbox)
    {
        _options = options.Value.Health;
        _time = time;
        _outbox = outbox.Enabled ? outbox : null;
        _endpoints = Fresh(catalog.Built.Endpoints.Length);
    }

    /// <summary>Forgets every endpoint's history, as after a restart.</summary>
    public void Reset()
    {
        lock (_grow)
        {
            Volatile.Write(ref _endpoints, Fresh(_endpoints.Length));
        }
    }

    public EndpointHealth this[CatalogEndpoint endpoint] => Get(endpoint.Index);

    /// <summary>Applies what another replica saw (<see cref="EndpointHealth.ApplyRemote"/>) with this gateway's cool-down.</summary>
    public void ApplyRemote(CatalogEndpoint endpoint, HealthSignal signal, TimeSpan age) => Get(endpoint.Index).ApplyRemote(signal, age, _options.CoolDown);

    private EndpointHealth Get(int index)
    {
        var endpoints = Volatile.Read(ref _endpoints);
        return (uint)index < (uint)endpoints.Length ? endpoints[index] : Grow(index);
    }

    private EndpointHealth Grow(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_grow)
        {
            var endpoints = _endpoints;
            if (index < endpoints.Length)
            {
                return endpoints[index];
            }
            var grown = new EndpointHealth[Math.Max(index + 1, endpoints.Length + Math.Max(16, endpoints.Length / 2))];
            endpoints.CopyTo(grown, 0);
            for (var i = endpoints.Length; i < grown.Length; i++)
            {
                grown[i] = new EndpointHealth(_time, i, _outbox);
            }
            Volatile.Write(ref _endpoints, grown);
            return grown[index];
        }
    }

    private EndpointHealth[] Fresh(int length)
    {
        var endpoints = new EndpointHealth[length];
        for (var i = 0; i < length; i++)
        {
            endpoints[i] = new EndpointHealth(_time, i, _outbox);
        }
        return endpoints;
    }

    /// <summary>What the catalog API and the operator's screen report: no credential first, then an open circuit, then a recent failure.</summary>
    public EndpointState State(CatalogEndpoint endpoint, bool configured, EndpointHealthSnapshot stats) =>
        !configured ? EndpointState.NotConfigured
        : stats.CircuitOpen ? EndpointState.CircuitOpen
        : Availability(endpoint) == EndpointAvailability.Degraded ? EndpointState.Degraded
        : EndpointState.Healthy;

    public EndpointAvailability Availability(CatalogEndpoint endpoint) => Get(endpoint.Index).Availability(_options.RecentFailureWindow);

    public void RecordFailure(CatalogEndpoint endpoint, bool rateLimited) =>
        Get(endpoint.Index).RecordFailure(rateLimited, _options.FailureThreshold, _options.CoolDown);
}
