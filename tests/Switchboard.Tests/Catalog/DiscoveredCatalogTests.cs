using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Catalog;
using Switchboard.Catalog.Discovery;
using Switchboard.Configuration;
using Switchboard.Health;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Catalog;

/// <summary>Swapping in discovered models, on the test catalog, with the health registry on a clock the test moves.</summary>
public sealed class DiscoveredCatalogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ModelCatalog _catalog;
    private readonly EndpointHealthRegistry _health;
    private readonly DiscoveredCatalog _discovered;

    public DiscoveredCatalogTests()
    {
        var errors = new List<string>();
        var file = CatalogFileReader.Read(TestCatalog.FilePath, errors);
        var builder = new CatalogBuilder(new HashSet<string> { "openai", "anthropic", "gemini" });
        _catalog = builder.Build(file, new SwitchboardOptions());
        Assert.Empty(errors);
        Assert.Empty(builder.Errors);
        var options = new SwitchboardOptions();
        options.Health.FailureThreshold = 3;
        _health = new EndpointHealthRegistry(_catalog, Options.Create(options), _time, new FleetHealthOutbox(Options.Create(options)));
        _discovered = new DiscoveredCatalog(_catalog.Built);
    }

    private void Swap(params string[] localModels) =>
        _catalog.Swap(_discovered.Build(new Dictionary<string, IReadOnlyList<DiscoveredModel>>
        {
            ["local"] = [.. localModels.Select(m => new DiscoveredModel(m, null))],
        }, out _));

    private void OpenCircuit(CatalogEndpoint endpoint)
    {
        for (var i = 0; i < 3; i++)
        {
            _health.RecordFailure(endpoint, rateLimited: false);
        }
    }

    [Fact]
    public void Health_and_circuit_state_of_a_built_endpoint_survive_swaps_and_discovered_endpoints_start_fresh()
    {
        var alpha = _catalog.FindModel("test/multi")!.Endpoints.Single(e => e.Provider.Slug == "alpha");
        var beta = _catalog.FindModel("test/multi")!.Endpoints.Single(e => e.Provider.Slug == "beta");
        OpenCircuit(alpha);
        _health.RecordFailure(beta, rateLimited: false);
        var alphaHealth = _health[alpha];

        Swap("one", "two");

        // The same model and endpoint instances are served, with the same state.
        Assert.Same(alpha, _catalog.FindModel("test/multi")!.Endpoints.Single(e => e.Provider.Slug == "alpha"));
        Assert.Same(alphaHealth, _health[alpha]);
        Assert.Equal(EndpointAvailability.Open, _health.Availability(alpha));
        Assert.Equal(EndpointAvailability.Degraded, _health.Availability(beta));
        var one = _catalog.FindModel("local/one")!.Endpoints.Single();
        var two = _catalog.FindModel("local/two")!.Endpoints.Single();
        Assert.True(one.Index >= _catalog.Built.Endpoints.Length && two.Index >= _catalog.Built.Endpoints.Length && one.Index != two.Index);
        Assert.Equal(EndpointAvailability.Healthy, _health.Availability(one));

        // A discovered endpoint's failures stay its own, and follow it when it vanishes and comes back.
        OpenCircuit(one);
        Assert.Equal(EndpointAvailability.Healthy, _health.Availability(two));
        Swap("two");
        Assert.Null(_catalog.FindModel("local/one"));
        Swap("two", "three", "one");
        var back = _catalog.FindModel("local/one")!.Endpoints.Single();
        Assert.Equal(one.Index, back.Index);
        Assert.Equal(EndpointAvailability.Open, _health.Availability(back));
        Assert.Equal(EndpointAvailability.Healthy, _health.Availability(_catalog.FindModel("local/three")!.Endpoints.Single()));
        Assert.Equal(EndpointAvailability.Open, _health.Availability(alpha));

        // The cool-down still runs on the clock for the built endpoint after all those swaps.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(EndpointAvailability.Degraded, _health.Availability(alpha));
    }

    [Fact]
    public void A_snapshot_taken_before_a_swap_stays_whole()
    {
        Swap("one");
        var before = _catalog.Current;
        Swap("two");

        Assert.NotNull(before.FindModel("local/one"));
        Assert.Null(before.FindModel("local/two"));
        Assert.All(before.Models, m => Assert.Same(before.FindModel(m.Id), m));
        Assert.Null(_catalog.FindModel("local/one"));
        Assert.Same(_catalog.Built.FindModel("test/multi"), _catalog.FindModel("test/multi"));
    }

    [Fact]
    public void Names_the_catalog_already_serves_from_the_provider_are_not_added_twice()
    {
        Swap("local-model", "new");

        Assert.Null(_catalog.FindModel("local/local-model"));
        Assert.NotNull(_catalog.FindModel("local/new"));
        Assert.Equal(_catalog.Built.Models.Length + 1, _catalog.Models.Length);
    }

    [Fact]
    public void A_server_inventing_names_on_every_poll_is_given_a_bounded_number_of_indices()
    {
        for (var round = 0; round < 5; round++)
        {
            Swap([.. Enumerable.Range(0, ModelListParser.MaxModels).Select(i => $"r{round}-m{i}")]);
        }

        var discovered = _catalog.Models.Where(m => m.Discovered).ToList();
        Assert.Empty(discovered); // round 4's names come after the 4,000 indices the provider may ever hold
        Assert.True(_catalog.Current.Endpoints[^1].Index < _catalog.Built.Endpoints.Length + DiscoveredCatalog.MaxIndicesPerProvider);
    }

    [Theory]
    [InlineData("ollama", "llama3.1:8b", "ollama/llama3.1-8b")]
    [InlineData("vllm", "meta-llama/Llama-3.1-8B-Instruct", "vllm/meta-llama-llama-3.1-8b-instruct")]
    [InlineData("LlamaCpp", "Qwen2.5 7B Q4_K_M.gguf", "llamacpp/qwen2.5-7b-q4_k_m.gguf")]
    [InlineData("ollama", "../..", null)]
    [InlineData("ollama", ":::", null)]
    public void Ids_are_the_provider_and_the_name_with_colons_slashes_and_the_rest_mapped_to_dashes(string provider, string upstream, string? id) =>
        Assert.Equal(id, DiscoveredCatalog.ModelId(provider, upstream));

    [Fact]
    public void An_id_longer_than_the_catalog_allows_is_not_formed()
    {
        Assert.NotNull(DiscoveredCatalog.ModelId("ollama", new string('a', 184 - "ollama/".Length)));
        Assert.Null(DiscoveredCatalog.ModelId("ollama", new string('a', 185 - "ollama/".Length)));
    }

    [Fact]
    public void The_parser_reads_context_lengths_where_servers_give_them_and_sorts_by_name()
    {
        var models = ModelListParser.Parse(Encoding.UTF8.GetBytes("""
            {"object":"list","data":[
              {"id":"vllm-model","object":"model","max_model_len":131072},
              {"id":"cpp-model","object":"model","meta":{"n_ctx_train":8192,"n_vocab":32000}},
              {"id":"ollama-model","object":"model","owned_by":"library"},
              {"id":"huge","max_model_len":1e30}]}
            """), out var problem, out var skipped)!;

        Assert.Null(problem);
        Assert.Equal(0, skipped);
        Assert.Equal(["cpp-model", "huge", "ollama-model", "vllm-model"], models.Select(m => m.UpstreamId));
        Assert.Equal([8192, null, null, 131072], models.Select(m => m.ContextLength));
    }
}
