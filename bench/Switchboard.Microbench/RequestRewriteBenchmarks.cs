using BenchmarkDotNet.Attributes;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Microbench.Fixtures;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Requests;

namespace Switchboard.Microbench;

/// <summary>
/// The request side of one attempt: reading the client's chat request, then building the upstream HTTP request
/// (body, URL, headers) each protocol adapter sends. OpenAI-compatible upstreams get the client's bytes spliced;
/// Anthropic and Gemini get a translation.
/// </summary>
[MemoryDiagnoser]
public class RequestRewriteBenchmarks
{
    private readonly ReadOnlyMemory<byte> _body = Payloads.ChatRequest;
    private ChatRequest _request = null!;
    private (CatalogEndpoint Endpoint, ProviderRuntime Provider) _openAI, _anthropic, _gemini;

    [GlobalSetup]
    public void Setup()
    {
        _request = BenchRequests.Parse(_body);
        _openAI = Target("openai", new OpenAICompatibleAdapter());
        _anthropic = Target("anthropic", new AnthropicAdapter());
        _gemini = Target("gemini", new GeminiAdapter());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _openAI.Provider.Dispose();
        _anthropic.Provider.Dispose();
        _gemini.Provider.Dispose();
    }

    /// <summary>Validates the request and finds the fields the gateway acts on.</summary>
    [Benchmark]
    public bool Parse() => ChatRequestParser.TryParse(_body, out _, out _);

    [Benchmark]
    public void OpenAIRequest() => Build(_openAI);

    [Benchmark]
    public void AnthropicRequest() => Build(_anthropic);

    [Benchmark]
    public void GeminiRequest() => Build(_gemini);

    private void Build((CatalogEndpoint Endpoint, ProviderRuntime Provider) target)
    {
        using var upstream = target.Provider.Adapter.CreateRequest(_request, target.Endpoint, target.Provider);
    }

    private static (CatalogEndpoint, ProviderRuntime) Target(string protocol, IProviderAdapter adapter)
    {
        var info = BenchCatalog.Provider(protocol, protocol);
        var model = new CatalogModel { Id = BenchCatalog.RoutedModel, Name = "Bench" };
        var endpoint = BenchCatalog.Endpoint(0, model, info);
        var provider = new ProviderRuntime(info, info.Name, info.BaseUrl, new ProviderCredential("sk-bench-0123456789abcdef"), null, adapter,
            new HttpMessageInvoker(new SocketsHttpHandler()));
        return (endpoint, provider);
    }
}
