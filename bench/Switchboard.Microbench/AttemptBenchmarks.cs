using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Health;
using Switchboard.Microbench.Fixtures;
using Switchboard.Providers;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Requests;
using Switchboard.Routing;
using Switchboard.Streaming;

namespace Switchboard.Microbench;

/// <summary>
/// One whole attempt on an OpenAI-compatible endpoint, as <c>ChatCompletionsHandler</c> runs it after routing:
/// build and send the upstream request, read the answer, re-stamp it, price the usage and write the client's
/// response (a completion, or a stream with its keep-alive timer and final usage chunk). The upstream is
/// <see cref="CannedUpstream"/> and the client's response body discards what it gets, so the figures are the
/// gateway's own work per request, without sockets, routing, credit holds, the generation record or waiting for the
/// store to commit the charge.
/// </summary>
[MemoryDiagnoser]
public class AttemptBenchmarks : IDisposable
{
    private readonly CancellationTokenSource _clientAborted = new();
    private readonly DefaultHttpContext _http = new();
    private readonly CostCalculator _costs = new(new BillingRates(new BillingOptions()));
    private readonly TimeoutOptions _timeouts = new();
    private readonly EndpointHealth _health = new(TimeProvider.System);
    private readonly ProviderRuntime _completionProvider = Provider(CannedUpstream.Completion(Payloads.Completion));
    private readonly ProviderRuntime _streamProvider = Provider(CannedUpstream.Stream(Payloads.OpenAIStream));
    private ChatRequest _request = null!;
    private ChatRequest _streamingRequest = null!;
    private RouteAttempt _route = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http.RequestAborted = _clientAborted.Token;
        _request = BenchRequests.Parse(Payloads.ChatRequest);
        _streamingRequest = BenchRequests.Parse(Payloads.StreamingChatRequest);
        var model = new CatalogModel { Id = BenchCatalog.RoutedModel, Name = "Bench" };
        _route = new RouteAttempt(BenchCatalog.Endpoint(0, model, _completionProvider.Info), model.Id);
    }

    [Benchmark]
    public async Task<long> NonStreaming()
    {
        var attempt = Attempt(_request, _completionProvider);
        var outcome = await NonStreamingAttempt.RunAsync(attempt, _timeouts.NonStreamingResponse, TimeProvider.System);
        return Delivered(outcome, attempt);
    }

    [Benchmark]
    public async Task<long> Streaming()
    {
        var attempt = Attempt(_streamingRequest, _streamProvider);
        var client = new SseResponse(_http.Response, TimeSpan.FromSeconds(5), TimeProvider.System);
        client.StartKeepAlive();
        var outcome = await StreamingAttempt.RunAsync(attempt, client, _timeouts, TimeProvider.System);
        await client.DisposeAsync();
        return Delivered(outcome, attempt);
    }

    private AttemptContext Attempt(ChatRequest request, ProviderRuntime provider)
    {
        var identity = new ResponseIdentity("gen-1763740800-Qx7pL2mV9sK4tR8wY3zA", _route.PublicModel, provider.DisplayName, 1763740800);
        var meter = new GenerationMeter(_costs, request, includeByokInLimit: false) { Hold = new CreditHold(1m, 1m) };
        return new AttemptContext(_http, request, _route, provider, _health, identity,
            new GenerationAttempts(_route.PublicModel), meter, NoStore.Instance, WantsMetadata: false, CancellationToken.None);
    }

    /// <summary>No store behind the attempt: the completion is sent at once.</summary>
    private sealed class NoStore : ICompletionCommit
    {
        public static readonly NoStore Instance = new();

        public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static long Delivered(AttemptOutcome outcome, AttemptContext attempt) =>
        outcome.Result == AttemptResult.Delivered && outcome.Failure is null
            ? attempt.Meter.Usage!.CompletionTokens
            : throw new InvalidOperationException($"The attempt did not deliver: {outcome.Failure?.Message}");

    private static ProviderRuntime Provider(CannedUpstream upstream)
    {
        var info = BenchCatalog.Provider("openai", "openai");
        return new ProviderRuntime(info, info.Name, info.BaseUrl, new ProviderCredential("sk-bench-0123456789abcdef"), null,
            new OpenAICompatibleAdapter(), new HttpMessageInvoker(upstream));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _completionProvider.Dispose();
        _streamProvider.Dispose();
        _clientAborted.Dispose();
        GC.SuppressFinalize(this);
    }
}
