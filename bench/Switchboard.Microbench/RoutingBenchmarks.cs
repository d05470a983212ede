using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Microbench.Fixtures;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Microbench;

/// <summary>
/// <c>RoutePlanner.TryPlan</c>: the ordered endpoints to try for a parsed request. <see cref="Endpoints"/> is the
/// number of endpoints of the requested model, in a catalog that also holds 1,000 endpoints of other models.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks : IDisposable
{
    private BenchCatalog? _catalog;
    private ChatRequest _default = null!;
    private ChatRequest _preferences = null!;

    [Params(4, 2000)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _catalog = new BenchCatalog(Endpoints);
        _default = BenchRequests.Parse("""{"model":"bench/chat","messages":[{"role":"user","content":"Hi"}]}""");
        _preferences = BenchRequests.Parse("""
            {"model":"bench/chat","models":["filler/model-7"],"messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"max_tokens":512,
             "provider":{"order":["p3","p1/fp8"],"ignore":["p2"],"quantizations":["fp8","bf16","fp16"],"sort":"throughput","require_parameters":true}}
            """);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _catalog?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>No preferences: OpenRouter's price-weighted random pick among healthy endpoints, the rest cheapest first.</summary>
    [Benchmark]
    public int Default() => Plan(_default);

    /// <summary>A fallback model, an order, exclusions, a quantization filter, required parameters and a throughput sort.</summary>
    [Benchmark]
    public int WithPreferences() => Plan(_preferences);

    private int Plan(ChatRequest request) =>
        _catalog!.Planner.TryPlan(request, new ProviderSet(_catalog.Providers, null), out var plan, out var error) ? plan.Count : throw new InvalidOperationException(error!.Message);

}
