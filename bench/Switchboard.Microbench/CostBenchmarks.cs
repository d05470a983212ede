using BenchmarkDotNet.Attributes;
using Switchboard.Billing;
using Switchboard.Catalog;

namespace Switchboard.Microbench;

/// <summary>
/// <c>CostCalculator</c>: the price of a finished generation (cached reads priced apart) and the worst case a
/// credit hold is sized from. Decimal arithmetic throughout.
/// </summary>
[MemoryDiagnoser]
public class CostBenchmarks
{
    private readonly CostCalculator _costs = new(new BillingRates(new BillingOptions { Markup = 0.05m }));
    private readonly Pricing _pricing = new(0.15m, 0.60m, InputCacheRead: 0.075m);

    [Benchmark]
    public decimal Price() => _costs.Price(_pricing, byok: false, new BilledTokens(1236, 86) { CacheRead = 1024 }).Charge;

    [Benchmark]
    public decimal WorstCase() => _costs.WorstCase(_pricing, byok: false, promptTokens: 1236, completionTokens: 16_384).Charge;
}
