using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Health;
using Switchboard.Providers;

namespace Switchboard.Telemetry;

/// <summary>
/// The gauges: live state read when metrics are collected (a scrape, an OTLP export), never on the request path.
/// Circuit state per endpoint of a configured provider, the journal's backlog against its capacity, and the credit
/// this instance has leased from the store and that requests in flight hold.
/// </summary>
internal sealed class GatewayGauges
{
    /// <summary><c>switchboard.endpoint.circuit_state</c>: 0 healthy, 1 degraded (failed recently), 2 open (skipped until the cool-down ends).</summary>
    public const int Healthy = 0, Degraded = 1, Open = 2;

    public GatewayGauges(GatewayMetrics metrics, ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health, LedgerJournal journal, CreditBook book)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("switchboard.endpoint.circuit_state", () => CircuitStates(catalog, providers, health), "{state}",
            "Per endpoint of a configured provider: 0 healthy, 1 degraded (failed recently), 2 circuit open. This replica's view.");
        meter.CreateObservableGauge("switchboard.journal.backlog", () => journal.Backlog, "{generation}",
            "Finished generations whose records and money the journal has not yet written to the store.");
        meter.CreateObservableGauge("switchboard.journal.capacity", () => journal.Capacity, "{generation}",
            "The backlog at which new generations wait, then are refused with 503 (Switchboard:Billing:JournalCapacity).");
        meter.CreateObservableGauge("switchboard.credit.leased", () => (double)book.Totals().Leased, "usd",
            "Credit the store has leased to this instance and it has not consumed or returned, USD.");
        meter.CreateObservableGauge("switchboard.credit.held", () => (double)book.Totals().Held, "usd",
            "Of the leased credit, what requests in flight hold, USD.");
        meter.CreateObservableGauge("switchboard.credit.leases", () => book.Totals().Leases, "{lease}",
            "Budgets (accounts, and keys with a limit) this instance holds a lease on.");
        meter.CreateObservableGauge("switchboard.credit.holds", () => book.Totals().Holds, "{hold}",
            "Credit holds open: generations in flight on this instance.");
    }

    private static List<Measurement<int>> CircuitStates(ModelCatalog catalog, ProviderRegistry providers, EndpointHealthRegistry health)
    {
        var endpoints = catalog.Endpoints;
        var states = new List<Measurement<int>>();
        foreach (var endpoint in endpoints)
        {
            // Only what can be called: a catalog lists hundreds of endpoints whose providers have no credential here.
            if (providers.Find(endpoint.Provider.Slug) is not { IsConfigured: true })
            {
                continue;
            }
            var state = health.Availability(endpoint) switch
            {
                EndpointAvailability.Open => Open,
                EndpointAvailability.Degraded => Degraded,
                _ => Healthy,
            };
            states.Add(new Measurement<int>(state, new TagList
            {
                { "model", endpoint.Model.Id },
                { "provider", endpoint.Provider.Slug },
                { "endpoint", endpoint.Tag },
            }));
        }
        return states;
    }
}
