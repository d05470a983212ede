using System.Net;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Telemetry;

/// <summary>
/// A gateway process configured with an OTLP endpoint, pointed at a receiver in the test: metrics and traces arrive as
/// http/protobuf posts, and the spans continue the caller's <c>traceparent</c>. A process of its own, because whether
/// upstream calls get spans is decided once per process (the runtime's HTTP diagnostics switch).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OtlpExportTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task With_an_otlp_endpoint_metrics_and_spans_are_posted_and_the_trace_continues_the_callers_traceparent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var simulator = await SharedSimulator.GetAsync();
        var port = GatewayProcess.FreePort();
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);
        var settings = GatewayFactory.DefaultSettings(simulator, useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        settings["Switchboard:Telemetry:OtlpEndpoint"] = receiver.BaseUrl;
        settings["Switchboard:Telemetry:OtlpExportInterval"] = "00:00:00.250";
        using var gateway = await GatewayProcess.StartAsync(port, admin, settings);
        using var client = new HttpClient { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await admin.CreateKeyAsync(new { name = "traced" })).Key);

        var traceId = RandomNumberGenerator.GetBytes(16);
        // The order is named: by default the dead endpoint is only the likelier first pick (price-weighted), and this
        // test needs its refused attempt.
        var body = ChatRequests.Body("test/dead-first");
        body["provider"] = new JsonObject { ["order"] = new JsonArray("dead", "alpha") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = body.ToContent() };
        request.Headers.Add("traceparent", $"00-{Convert.ToHexStringLower(traceId)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The spans of that request carry the caller's trace id (raw bytes in the protobuf): the gateway's request span
        // and its attempt spans, named after the GenAI conventions, with the provider and the attempt's outcome.
        // Spans leave in batches as they end, so each is awaited on its own.
        var generation = await receiver.WaitForAsync(p => IsSpanOf(p, traceId) && p.Contains("chat test/dead-first") && p.Contains("gen_ai.usage.output_tokens"), Wait);
        Assert.Equal("application/x-protobuf", generation.ContentType);
        await receiver.WaitForAsync(p => IsSpanOf(p, traceId) && p.Contains("switchboard.attempt.outcome") && p.Contains("gen_ai.provider.name") && p.Contains("connection"), Wait);
        Assert.DoesNotContain(receiver.Received, p => p.Contains("Hello there")); // the prompt's text is never in a span

        // Metrics are pushed on the export interval.
        await receiver.WaitForAsync(p => p.Path == "/v1/metrics" && p.Contains("switchboard.requests") && p.Contains("test/dead-first"), Wait);

        // Providers see none of it (PropagateToProviders is off by default).
        var upstream = simulator.Requests.Snapshot().Where(r => r.Body.Contains(body.Marker(), StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(upstream);
        Assert.All(upstream, r => Assert.False(r.Headers.ContainsKey("traceparent"), "a provider was sent our trace context"));
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static bool IsSpanOf(OtlpPost post, byte[] traceId) => post.Path == "/v1/traces" && post.Contains(traceId);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }
}
