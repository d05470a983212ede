using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.Tests.Api.Fuzzing;

/// <summary>
/// A seeded fuzzer over every JSON body the gateway takes and over raw HTTP: chat, Messages, Responses API and legacy
/// completions bodies for each protocol of <c>test/tri</c>, embeddings bodies for both protocols of <c>test/embed</c>,
/// the management API and the web app's API (signed in), then malformed HTTP/1.1 over a socket.
/// Every answer must come in time, never be a 5xx, and carry an error in our shape when it is an error. Bodies are
/// drawn from <see cref="Seed"/> (or <c>SWITCHBOARD_FUZZ_SEED</c>), each case from its own index, so a failure is
/// reported with what replays it: the seed, the case, the mutations and the body.
/// </summary>
public sealed class InputFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20_261_214;
    private const int ChatBodies = 7_200;
    private const int MessagesBodies = 2_400;
    private const int CompletionsBodies = 1_800;
    private const int ResponsesBodies = 2_400;
    private const int EmbeddingsBodies = 1_200;
    private const int BodiesPerEndpoint = 300;
    private const int Concurrency = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly int _seed = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_FUZZ_SEED"), out var seed) ? seed : Seed;
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:10",
            ["Switchboard:Timeouts:StreamingHeaders"] = "00:00:10",
            ["Switchboard:Timeouts:StreamIdle"] = "00:00:10",
        });

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Chat_bodies_for_every_protocol_never_get_a_5xx_and_errors_are_in_our_shape()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("chat fuzz", 500m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        // Stored prompts put each answer through one more reader of the gateway's output.
        using (var stored = await management.PatchAsJsonAsync("/web/settings", new { store_prompts = true }))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }
        var key = (await management.CreateKeyAsync(new { name = "fuzz" })).Key;
        using var client = Client(key);

        var failures = await RunAsync(ChatBodies, index =>
        {
            var random = CaseRandom(index);
            var provider = FuzzSeeds.Providers[index % FuzzSeeds.Providers.Length];
            var seed = FuzzSeeds.Chat(index / FuzzSeeds.Providers.Length, provider, stream: random.Next(4) == 0);
            var path = random.Next(4) == 0 ? "/v1/chat/completions" : "/api/v1/chat/completions";
            return Case(client, HttpMethod.Post, path, seed, random, $"chat on {provider}", unmutatedMustSucceed: true);
        });

        Report(failures, ChatBodies);
    }

    [Fact]
    public async Task Messages_bodies_for_every_protocol_never_get_a_5xx_and_errors_are_in_Anthropics_shape()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("messages fuzz", 500m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var key = (await management.CreateKeyAsync(new { name = "fuzz" })).Key;
        using var client = Client(null);
        client.DefaultRequestHeaders.Add("x-api-key", key);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        // As Claude Code sends it: a Claude endpoint then takes the seed's mid-conversation system message.
        client.DefaultRequestHeaders.Add("anthropic-beta", "mid-conversation-system-2026-04-07");

        var failures = await RunAsync(MessagesBodies, index =>
        {
            var random = CaseRandom(index);
            var provider = FuzzSeeds.Providers[index % FuzzSeeds.Providers.Length];
            var seed = MessagesFuzzSeeds.Body(index / FuzzSeeds.Providers.Length, provider, stream: random.Next(3) == 0);
            var path = random.Next(8) == 0 ? "/api/v1/messages/count_tokens" : random.Next(4) == 0 ? "/v1/messages?beta=true" : "/api/v1/messages";
            if (path.Contains("count_tokens", StringComparison.Ordinal))
            {
                seed.Remove("max_tokens");
                seed.Remove("stream");
            }
            return Case(client, HttpMethod.Post, path, seed, random, $"messages on {provider}", unmutatedMustSucceed: true, anthropic: true);
        });

        Report(failures, MessagesBodies);
    }

    [Fact]
    public async Task Responses_bodies_for_every_protocol_never_get_a_5xx_and_streams_end_with_a_terminal_event()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("responses fuzz", 500m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var key = (await management.CreateKeyAsync(new { name = "fuzz" })).Key;
        using var client = Client(key);

        var failures = await RunAsync(ResponsesBodies, index =>
        {
            var random = CaseRandom(ChatBodies + MessagesBodies + index);
            var provider = FuzzSeeds.Providers[index % FuzzSeeds.Providers.Length];
            var seed = ResponsesFuzzSeeds.Body(index / FuzzSeeds.Providers.Length, provider, stream: random.Next(3) == 0);
            var path = random.Next(4) == 0 ? "/v1/responses" : "/api/v1/responses";
            return Case(client, HttpMethod.Post, path, seed, random, $"responses on {provider}", unmutatedMustSucceed: true, responses: true);
        });

        Report(failures, ResponsesBodies);
    }

    [Fact]
    public async Task Embeddings_bodies_for_both_protocols_never_get_a_5xx_and_errors_are_in_our_shape()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("embeddings fuzz", 500m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var key = (await management.CreateKeyAsync(new { name = "fuzz" })).Key;
        using var client = Client(key);

        var failures = await RunAsync(EmbeddingsBodies, index =>
        {
            var random = CaseRandom(2_000_000 + index);
            var provider = EmbeddingsFuzzSeeds.Providers[index % EmbeddingsFuzzSeeds.Providers.Length];
            var seed = EmbeddingsFuzzSeeds.Body(index / EmbeddingsFuzzSeeds.Providers.Length, provider);
            var path = random.Next(4) == 0 ? "/v1/embeddings" : "/api/v1/embeddings";
            return Case(client, HttpMethod.Post, path, seed, random, $"embeddings on {provider}", unmutatedMustSucceed: true);
        });

        Report(failures, EmbeddingsBodies);
    }

    [Fact]
    public async Task Completions_bodies_for_every_protocol_never_get_a_5xx_and_errors_are_in_our_shape()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("completions fuzz", 500m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var key = (await management.CreateKeyAsync(new { name = "fuzz" })).Key;
        using var client = Client(key);

        var failures = await RunAsync(CompletionsBodies, index =>
        {
            // Indexes no other fuzzer here draws from, so these cases mutate their own way.
            var random = CaseRandom(1_000_000 + index);
            var provider = FuzzSeeds.Providers[index % FuzzSeeds.Providers.Length];
            var seed = CompletionsFuzzSeeds.Body(index / FuzzSeeds.Providers.Length, provider, stream: random.Next(3) == 0);
            var path = random.Next(4) == 0 ? "/v1/completions" : "/api/v1/completions";
            return Case(client, HttpMethod.Post, path, seed, random, $"completions on {provider}", unmutatedMustSucceed: true);
        });

        Report(failures, CompletionsBodies);
    }

    [Fact]
    public async Task Management_and_web_bodies_never_get_a_5xx_and_errors_are_in_our_shape()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync("management fuzz", 10m);
        using var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var patched = await management.CreateKeyAsync(new { name = "patched by the fuzzer" });
        using var session = await SignInAsync(account.ManagementKey);
        using var adminSession = await SignInAsync(GatewayFactory.ManagementKey);
        using var anonymous = Client(key: null);

        var endpoints = new (HttpClient Client, HttpMethod Method, string Path, JsonObject Body)[]
        {
            (management, HttpMethod.Post, "/api/v1/keys", new JsonObject
            {
                ["name"] = "fuzzed", ["limit"] = 1.5, ["limit_reset"] = "daily", ["include_byok_in_limit"] = true,
                ["expires_at"] = "2030-01-01T00:00:00Z", ["is_management_key"] = false,
                ["allowed_models"] = new JsonArray("anthropic/*", "*:free"), ["allowed_providers"] = new JsonArray("alpha"),
                ["requests_per_minute"] = 30, ["tokens_per_minute"] = 100000,
            }),
            (management, HttpMethod.Patch, $"/api/v1/keys/{patched.Hash}", new JsonObject
            {
                ["name"] = "renamed", ["disabled"] = false, ["limit"] = null, ["limit_reset"] = null, ["expires_at"] = null,
                ["allowed_models"] = new JsonArray("test/multi"), ["allowed_providers"] = null, ["requests_per_minute"] = null, ["tokens_per_minute"] = 5,
            }),
            (admin, HttpMethod.Post, "/api/v1/admin/accounts", new JsonObject { ["name"] = "fuzzed", ["credits"] = 1.25 }),
            (admin, HttpMethod.Post, $"/api/v1/admin/accounts/{account.Id}/credits", new JsonObject { ["amount"] = 0.5, ["kind"] = "top_up", ["note"] = "fuzz" }),
            (session, HttpMethod.Patch, "/web/settings", new JsonObject { ["store_prompts"] = true, ["exclude_training_providers"] = false, ["default_model"] = "test/multi" }),
            (adminSession, HttpMethod.Put, "/web/settings/rates", new JsonObject { ["markup"] = 0.05, ["byok_fee"] = 0.05 }),
            (session, HttpMethod.Put, "/web/provider-keys/alpha", new JsonObject { ["key"] = "sk-fuzz-0123456789" }),
            (session, HttpMethod.Put, "/web/alerts/settings", new JsonObject { ["thresholds"] = new JsonArray(50, 80, 100), ["webhook_url"] = null }),
            (session, HttpMethod.Post, "/web/compare/votes", new JsonObject { ["models"] = new JsonArray("test/multi", "test/other"), ["best"] = "test/multi" }),
            (anonymous, HttpMethod.Post, "/web/session", new JsonObject { ["key"] = "sk-sb-v1-not-a-key" }),
            (anonymous, HttpMethod.Post, "/web/session", new JsonObject { ["password"] = "not the password" }),
        };

        var failures = await RunAsync(endpoints.Length * BodiesPerEndpoint, index =>
        {
            var (client, method, path, body) = endpoints[index % endpoints.Length];
            return Case(client, method, path, body, CaseRandom(ChatBodies + index), $"{method} {path}", unmutatedMustSucceed: false);
        });

        // The rates are the operator's, for every account: put the configured ones back.
        using var restore = new HttpRequestMessage(HttpMethod.Put, "/web/settings/rates") { Content = JsonContent.Create(new { markup = (decimal?)null, byok_fee = (decimal?)null }) };
        using (var restored = await adminSession.SendAsync(restore))
        {
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }
        Report(failures, endpoints.Length * BodiesPerEndpoint);
    }

    [Fact]
    public async Task Malformed_http_never_gets_a_5xx_or_hangs()
    {
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var gateway = admin.BaseAddress!;
        var failures = new ConcurrentBag<string>();
        var requests = RawRequests.All().ToList();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
        {
            var answer = await RawAnswer.SendAsync(gateway, request.Bytes(gateway, GatewayFactory.ManagementKey, _gateway.InferenceKey), request.HalfClose, RequestTimeout);
            string? problem = answer switch
            {
                { TimedOut: true } => "no answer in time",
                { Status: null } when request.HalfClose => null,
                { Status: null } => "the connection closed without an answer",
                { Status: >= 500 } when answer.Status == request.KestrelStatus => ErrorShape.Check(answer.Body, answer.Status!.Value),
                { Status: >= 500 } => $"HTTP {answer.Status}",
                _ when answer.Status >= 400 => ErrorShape.Check(answer.Body, answer.Status!.Value),
                _ => null,
            };
            if (problem is not null)
            {
                failures.Add($"{request.Name}: {problem}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} raw requests went wrong:\n{string.Join("\n", failures.Order())}");
    }

    // :: The run

    private async Task<List<string>> RunAsync(int count, Func<int, Task<string?>> send)
    {
        output.WriteLine($"Seed {_seed} (SWITCHBOARD_FUZZ_SEED replays another): {count} bodies.");
        var failures = new ConcurrentDictionary<int, string>();
        _statuses.Clear();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (index, _) =>
        {
            if (await send(index) is { } problem)
            {
                failures[index] = problem;
            }
        });
        output.WriteLine($"{count} bodies in {clock.Elapsed.TotalSeconds:0.0} s; {failures.Count} failed.");
        // How far the bodies got: a fuzzer whose bodies all stop at the parser would test little else.
        output.WriteLine(string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        return [.. failures.OrderBy(f => f.Key).Select(f => $"case {f.Key}: {f.Value}")];
    }

    /// <summary>Sends one mutated body (or, one time in twenty, the seed itself) and says what is wrong with the answer.</summary>
    private async Task<string?> Case(HttpClient client, HttpMethod method, string path, JsonObject seed, Random random, string what, bool unmutatedMustSucceed, bool anthropic = false, bool responses = false)
    {
        var mutator = new JsonMutator(random);
        var unmutated = random.Next(20) == 0;
        var body = unmutated ? System.Text.Encoding.UTF8.GetBytes(seed.ToJsonString()) : mutator.Mutate(seed);
        var json = random.Next(50) != 0; // now and then, a body that does not say it is JSON
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(json ? "application/json" : "text/plain");
        using var deadline = new CancellationTokenSource(RequestTimeout);
        string? problem;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var answer = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            var status = (int)response.StatusCode;
            _statuses.AddOrUpdate($"{what} {status}", 1, (_, n) => n + 1);
            problem = ErrorShape.Problem(status, response.Content.Headers.ContentType?.MediaType, answer, anthropic, responses);
            if (problem is null && unmutated && unmutatedMustSucceed && json && status >= 300)
            {
                problem = $"the unmutated seed got HTTP {status}: {System.Text.Encoding.UTF8.GetString(answer)}";
            }
        }
        catch (OperationCanceledException)
        {
            problem = $"no answer within {RequestTimeout.TotalSeconds} s";
        }
        catch (HttpRequestException ex)
        {
            problem = $"the connection failed: {ex.Message}";
        }
        return problem is null ? null
            : $"{what}, {(unmutated ? "unmutated" : string.Join("; ", mutator.Applied))}: {problem}\n  body: {JsonMutator.Describe(body)}\n  base64: {Convert.ToBase64String(body)}";
    }

    private Random CaseRandom(int index) => new(unchecked((_seed * 1_000_003) + index));

    private void Report(List<string> failures, int count)
    {
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }
        Assert.True(failures.Count == 0,
            $"Seed {_seed}: {failures.Count} of {count} bodies went wrong. The first:\n{string.Join("\n", failures.Take(10))}");
    }

    // :: Clients

    private HttpClient Client(string? key)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseCookies = false })
        {
            BaseAddress = GatewayAddress(),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    private Uri GatewayAddress()
    {
        using var probe = _gateway.CreateAnonymousClient();
        return probe.BaseAddress!;
    }

    /// <summary>A browser's session: the cookie, and the anti-forgery token every change carries.</summary>
    private async Task<HttpClient> SignInAsync(string managementKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, CookieContainer = new CookieContainer() })
        {
            BaseAddress = GatewayAddress(),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        using var signIn = await client.PostAsJsonAsync("/web/session", new { key = managementKey });
        var token = (await AccountClient.ReadObjectAsync(signIn, HttpStatusCode.OK))["data"]!["csrf_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Add("X-CSRF-Token", token);
        return client;
    }
}
