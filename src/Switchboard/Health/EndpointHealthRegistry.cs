using Microsoft.Extensions.Options;
using Switchboard.Catalog;
using Switchboard.Configuration;

namespace Switchboard.Health;

/// <summary>Health of every catalog endpoint, indexed by <see cref="CatalogEndpoint.Index"/>. In memory, per replica.</summary>
internal sealed class EndpointHealthRegistry
{
    private readonly EndpointHealth[] _endpoints;
    private readonly HealthOptions _options;
    private readonly TimeProvider _time;

    public EndpointHealthRegistry(ModelCatalog catalog, IOptions<SwitchboardOptions> options, TimeProvider time)
    {
        _options = options.Value.Health;
        _time = time;
        _endpoints = new EndpointHealth[catalog.Endpoints.Length];
        Reset();
    }

    /// <summary>Forgets every endpoint's history, as after a restart.</summary>
    public void Reset()
    {
        for (var i = 0; i < _endpoints.Length; i++)
        {
            _endpoints[i] = new EndpointHealth(_time);
        }
    }

    public EndpointHealth this[CatalogEndpoint endpoint] => _endpoints[endpoint.Index];

    /// <summary>What the catalog API and the operator's screen report: no credential first, then an open circuit, then a recent failure.</summary>
    public EndpointState State(CatalogEndpoint endpoint, bool configured, EndpointHealthSnapshot stats) =>
        !configured ? EndpointState.NotConfigured
        : stats.CircuitOpen ? EndpointState.CircuitOpen
        : Availability(endpoint) == EndpointAvailability.Degraded ? EndpointState.Degraded
        : EndpointState.Healthy;

    public EndpointAvailability Availability(CatalogEndpoint endpoint) => _endpoints[endpoint.Index].Availability(_options.RecentFailureWindow);

    public void RecordFailure(CatalogEndpoint endpoint, bool rateLimited) =>
        _endpoints[endpoint.Index].RecordFailure(rateLimited, _options.FailureThreshold, _options.CoolDown);
}
