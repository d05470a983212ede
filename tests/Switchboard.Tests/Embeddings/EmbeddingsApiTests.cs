using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Embeddings;

/// <summary>
/// <c>POST /embeddings</c> through the gateway over real HTTP to the simulator, on an OpenAI-compatible endpoint
/// (<c>alpha</c>, 100 USD per million input tokens) and Gemini's native API (<c>gem</c>, 300 USD per million): the
/// response in OpenAI's shape, the vectors each input's own, base64 equal to the floats, and the charge exactly the
/// reported tokens at the endpoint's price, moved on the account and the key alike.
/// </summary>
public sealed class EmbeddingsApiTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private const string Model = "test/embed";
    private const decimal AlphaPrice = 100m / 1_000_000m;
    private const decimal BetaPrice = 200m / 1_000_000m;

    public static TheoryData<string> Providers() => new() { "alpha", "gem" };

    private static string Unique(string text) => $"{text} [{Guid.NewGuid():N}]";

    private static JsonObject Body(string provider, JsonNode input, int? dimensions = 8, string? encoding = null)
    {
        var body = new JsonObject
        {
            ["model"] = Model,
            ["input"] = input,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (dimensions is { } d)
        {
            body["dimensions"] = d;
        }
        if (encoding is not null)
        {
            body["encoding_format"] = encoding;
        }
        return body;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonNode body) => client.PostChatAsync(body, "/api/v1/embeddings");

    private async Task<JsonObject> EmbedAsync(JsonNode body, HttpClient? client = null)
    {
        using var response = await PostAsync(client ?? Fixture.Client, body);
        var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), json["id"]!.GetValue<string>());
        return json;
    }

    private static float[] Floats(JsonNode entry) => [.. entry["embedding"]!.AsArray().Select(n => n!.GetValue<float>())];

    private static float[] FromBase64(JsonNode entry)
    {
        var bytes = Convert.FromBase64String(entry["embedding"]!.GetValue<string>());
        return [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)))];
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_string_comes_back_as_one_vector_in_OpenAIs_shape(string provider)
    {
        var json = await EmbedAsync(Body(provider, Unique("The quick brown fox")));

        Assert.StartsWith("gen-", json["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal(Model, json["model"]!.GetValue<string>());
        Assert.Equal(provider == "gem" ? "Gemini" : "Alpha", json["provider"]!.GetValue<string>());
        var entry = Assert.Single(json["data"]!.AsArray())!;
        Assert.Equal("embedding", entry["object"]!.GetValue<string>());
        Assert.Equal(0, entry["index"]!.GetValue<int>());
        var vector = Floats(entry);
        Assert.Equal(8, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 4);
        var usage = json["usage"]!;
        Assert.True(usage["prompt_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_array_of_strings_gets_each_its_own_vector_in_order(string provider)
    {
        var texts = new[] { Unique("first"), Unique("second"), Unique("third") };
        var batch = await EmbedAsync(Body(provider, new JsonArray([.. texts.Select(t => (JsonNode)t)])));

        var data = batch["data"]!.AsArray();
        Assert.Equal(3, data.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(i, data[i]!["index"]!.GetValue<int>());
            var alone = await EmbedAsync(Body(provider, texts[i]));
            Assert.Equal(Floats(alone["data"]![0]!), Floats(data[i]!));
        }
        Assert.NotEqual(Floats(data[0]!), Floats(data[1]!));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Base64_decodes_to_exactly_the_float_vectors(string provider)
    {
        var input = new JsonArray(Unique("alpha"), Unique("beta"));
        var floats = await EmbedAsync(Body(provider, input.DeepClone(), dimensions: 16));
        var base64 = await EmbedAsync(Body(provider, input.DeepClone(), dimensions: 16, encoding: "base64"));

        for (var i = 0; i < 2; i++)
        {
            var decoded = FromBase64(base64["data"]![i]!);
            Assert.Equal(16, decoded.Length);
            Assert.Equal(Floats(floats["data"]![i]!), decoded);
        }
    }

    [Fact]
    public async Task Token_ids_are_embedded_by_an_OpenAI_compatible_host_and_counted_one_token_each()
    {
        var batch = await EmbedAsync(Body("alpha", JsonNode.Parse("[[1,2,3],[40,50]]")!));
        Assert.Equal(2, batch["data"]!.AsArray().Count);
        Assert.Equal(5, batch["usage"]!["prompt_tokens"]!.GetValue<int>());

        var single = await EmbedAsync(Body("alpha", JsonNode.Parse("[7,8,9]")!));
        Assert.Single(single["data"]!.AsArray());
        Assert.Equal(3, single["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Token_ids_cannot_go_to_Gemini_and_say_so()
    {
        using var response = await PostAsync(Fixture.Client, Body("gem", JsonNode.Parse("[[1,2,3]]")!));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Contains("token-id", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("input", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_OpenAI_compatible_host_gets_the_clients_fields_but_not_the_gateways()
    {
        var text = Unique("forwarded");
        var body = Body("alpha", text, dimensions: 4);
        body["user"] = "end-user-7";
        body["input_type"] = "query";
        body["models"] = new JsonArray("test/embed");
        await EmbedAsync(body);

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.EndsWith("/alpha/v1/embeddings", upstream.Path, StringComparison.Ordinal);
        var sent = JsonNode.Parse(upstream.Body)!.AsObject();
        Assert.Equal("alpha-model", sent["model"]!.GetValue<string>());
        Assert.Equal(4, sent["dimensions"]!.GetValue<int>());
        Assert.Equal("end-user-7", sent["user"]!.GetValue<string>());
        Assert.False(sent.ContainsKey("provider") || sent.ContainsKey("models") || sent.ContainsKey("input_type"), upstream.Body);
    }

    [Fact]
    public async Task Gemini_gets_its_native_batch_with_task_type_and_dimensionality_and_usage_is_counted_by_the_gateway()
    {
        var texts = new[] { Unique("question one"), Unique("question two") };
        var body = Body("gem", new JsonArray(texts[0], texts[1]), dimensions: 12);
        body["input_type"] = "search_query";
        var json = await EmbedAsync(body);

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(texts[0], StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.EndsWith("/gem/v1/models/gem-model:batchEmbedContents", upstream.Path, StringComparison.Ordinal);
        Assert.Equal("key-gem", upstream.Headers["x-goog-api-key"]);
        var requests = JsonNode.Parse(upstream.Body)!["requests"]!.AsArray();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("models/gem-model", r!["model"]!.GetValue<string>());
            Assert.Equal("RETRIEVAL_QUERY", r["taskType"]!.GetValue<string>());
            Assert.Equal(12, r["outputDimensionality"]!.GetValue<int>());
        });
        Assert.Equal(texts[1], requests[1]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(12, Floats(json["data"]![1]!).Length);

        // Gemini reports no usage: the gateway's tokenizer counts each text, and the record says it is an estimate.
        var tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");
        var expected = texts.Sum(t => tokenizer.CountTokens(t));
        Assert.Equal(expected, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        var record = await BillingTestKit.GenerationAsync(Fixture.Client, json["id"]!.GetValue<string>());
        Assert.True(record["tokens_estimated"]!.GetValue<bool>());
        Assert.Equal(expected * 300m / 1_000_000m, record["total_cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_charge_is_exactly_the_reported_tokens_at_the_input_price_on_the_account_and_the_key()
    {
        var (_, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m, new { name = "embedder", limit = 5 });
        var before = await BillingTestKit.TotalUsageAsync(management);

        var json = await EmbedAsync(Body("alpha", new JsonArray(Unique("one two three four"), Unique("five six seven eight"))), client);

        var tokens = json["usage"]!["prompt_tokens"]!.GetValue<int>();
        var cost = json["usage"]!["cost"]!.GetValue<decimal>();
        Assert.Equal(tokens * AlphaPrice, cost);
        Assert.True(cost > 0m);
        Assert.Equal(before + cost, await BillingTestKit.TotalUsageAsync(management));
        Assert.Equal(cost, (await client.GetObjectAsync("/api/v1/key"))["data"]!["usage"]!.GetValue<decimal>());

        var record = await BillingTestKit.GenerationAsync(client, json["id"]!.GetValue<string>());
        Assert.Equal("embeddings", record["api"]!.GetValue<string>());
        Assert.Equal("embeddings", record["api_type"]!.GetValue<string>());
        Assert.Equal(tokens, record["tokens_prompt"]!.GetValue<int>());
        Assert.Equal(0, record["tokens_completion"]!.GetValue<int>());
        Assert.Equal(cost, record["total_cost"]!.GetValue<decimal>());
        Assert.Equal("Alpha", record["provider_name"]!.GetValue<string>());
        Assert.Equal(Model, record["model"]!.GetValue<string>());
        Assert.False(record["tokens_estimated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Without_the_credit_for_the_inputs_bound_it_is_402_and_nothing_is_charged_or_sent()
    {
        // 20,000 bytes of text is held at 20,002 tokens: 2.0002 USD at 100 USD a million.
        var (account, poor, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 1m);
        var marker = Guid.NewGuid().ToString("N");
        using var response = await PostAsync(poor, Body("alpha", $"{marker} {new string('x', 20_000)}"));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("credits", (await response.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Equal(0m, await BillingTestKit.TotalUsageAsync(management));
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(marker, StringComparison.Ordinal));
        using var admin = Fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        await admin.AssertLedgerBalancedAsync(account.Id);
    }

    [Fact]
    public async Task A_key_limit_below_the_hold_refuses_with_402_from_the_key()
    {
        var (_, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m, new { name = "capped", limit = 0.001 });
        using var response = await PostAsync(client, Body("alpha", new string('y', 20_000)));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("key_limit", (await response.JsonAsync())["error"]!["metadata"]!["limit_source"]!.GetValue<string>());
        Assert.Equal(0m, await BillingTestKit.TotalUsageAsync(management));
    }

    [Fact]
    public async Task An_accounts_own_provider_key_is_sent_upstream_and_the_embedding_billed_as_byok()
    {
        const string Secret = "sk-own-gem-2c4e6a8b0d1f3e5a";
        var (_, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m);
        using (var set = await management.PutAsJsonAsync("/web/provider-keys/gem", new { key = Secret }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        var text = Unique("own key");

        var json = await EmbedAsync(Body("gem", text), client);

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Equal(Secret, upstream.Headers["x-goog-api-key"]);
        var usage = json["usage"]!;
        Assert.True(usage["is_byok"]!.GetValue<bool>());
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() * 300m / 1_000_000m, usage["cost_details"]!["upstream_inference_cost"]!.GetValue<decimal>());
        var record = await BillingTestKit.GenerationAsync(client, json["id"]!.GetValue<string>());
        Assert.True(record["is_byok"]!.GetValue<bool>());
        Assert.Equal(usage["cost"]!.GetValue<decimal>(), record["total_cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_failing_endpoint_falls_back_to_the_next_and_the_charge_is_the_servers_price()
    {
        var (_, client, _) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m);
        var body = new JsonObject
        {
            ["model"] = Model,
            ["input"] = Unique("fall back <simulator>{\"providers\":{\"alpha\":{\"status\":503}}}</simulator>"),
            ["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta") },
        };

        var json = await EmbedAsync(body, client);

        Assert.Equal("Beta", json["provider"]!.GetValue<string>());
        Assert.Equal(json["usage"]!["prompt_tokens"]!.GetValue<int>() * BetaPrice, json["usage"]!["cost"]!.GetValue<decimal>());
        var record = await BillingTestKit.GenerationAsync(client, json["id"]!.GetValue<string>());
        var attempts = record["provider_responses"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(503, attempts[0]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_every_endpoint_fails_the_providers_error_comes_back_and_nothing_is_charged()
    {
        var (_, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m);
        using var response = await PostAsync(client, Body("alpha", Unique("fails <simulator>{\"status\":500}</simulator>")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // an upstream 5xx is the gateway's 502, as for chat
        Assert.Equal(0m, await BillingTestKit.TotalUsageAsync(management));
    }

    [Fact]
    public async Task A_client_that_leaves_before_the_vectors_arrive_is_charged_nothing_and_the_upstream_call_is_cancelled()
    {
        var (account, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 10m);
        var marker = Guid.NewGuid().ToString("N");
        using var leave = new CancellationTokenSource();
        var request = PostAsync(client, Body("alpha", $"{marker} <simulator>{{\"latency_ms\":2500}}</simulator>")).WaitAsync(leave.Token);
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        await leave.CancelAsync();
        client.CancelPendingRequests();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        await upstream.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(upstream.ClientAborted);
        // Once the gateway has settled (no reservation open), nothing has been spent.
        using var admin = Fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        for (var i = 0; i < 100 && OpenReservations(await admin.GetObjectAsync("/api/v1/admin/ledger/audit"), account.Id) > 0; i++)
        {
            await Task.Delay(20);
        }
        await admin.AssertLedgerBalancedAsync(account.Id);
        Assert.Equal(0m, await BillingTestKit.TotalUsageAsync(management));
    }

    private static int OpenReservations(JsonObject audit, long accountId) =>
        audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == accountId)!["open_reservations"]!.GetValue<int>();

    [Theory]
    [InlineData("test/no-such-model", "model_not_found")]
    [InlineData("test/multi", "model_not_supported")]
    public async Task A_model_that_does_not_embed_is_a_400(string model, string errorType)
    {
        using var response = await PostAsync(Fixture.Client, new JsonObject { ["model"] = model, ["input"] = "text" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(errorType, error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Equal("model", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_embedding_model_cannot_chat()
    {
        using var response = await Fixture.Client.PostChatAsync(ChatRequests.Body(Model));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/embeddings", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embedding_model_cannot_be_an_accounts_default_chat_model()
    {
        var (_, _, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 1m);
        using var response = await management.PatchAsJsonAsync("/web/settings", new { default_model = Model });

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Equal("default_model", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model":"test/embed"}""", "input")]
    [InlineData("""{"model":"test/embed","input":""}""", "input")]
    [InlineData("""{"model":"test/embed","input":[]}""", "input")]
    [InlineData("""{"model":"test/embed","input":[[]]}""", "input")]
    [InlineData("""{"model":"test/embed","input":["a",1]}""", "input")]
    [InlineData("""{"model":"test/embed","input":[1,"a"]}""", "input")]
    [InlineData("""{"model":"test/embed","input":[-1]}""", "input")]
    [InlineData("""{"model":"test/embed","input":[1.5]}""", "input")]
    [InlineData("""{"model":"test/embed","input":{"text":"a"}}""", "input")]
    [InlineData("""{"model":"test/embed","input":"a","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"test/embed","input":"a","dimensions":"8"}""", "dimensions")]
    [InlineData("""{"model":"test/embed","input":"a","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"test/embed","input":"a","input_type":"poem"}""", "input_type")]
    [InlineData("""{"model":"test/embed","input":"a","provider":{"only":"alpha"}}""", "provider")]
    [InlineData("""{"model":7,"input":"a"}""", "model")]
    [InlineData("""{"input":"a"}""", "model")]
    public async Task A_malformed_request_is_a_400_naming_the_field(string body, string field)
    {
        using var response = await Fixture.Client.PostAsync("/api/v1/embeddings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Contains(field, error["metadata"]!["param"]?.GetValue<string>() ?? error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_inputs_than_OpenAI_allows_are_a_400()
    {
        var input = new JsonArray([.. Enumerable.Range(0, 2049).Select(i => (JsonNode)$"t{i}")]);
        using var response = await PostAsync(Fixture.Client, Body("alpha", input));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2048", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedding_models_are_listed_apart_from_chat_models()
    {
        var embedding = (await Fixture.Client.GetObjectAsync("/api/v1/embeddings/models"))["data"]!.AsArray();
        var entry = Assert.Single(embedding)!;
        Assert.Equal(Model, entry["id"]!.GetValue<string>());
        Assert.Equal("embeddings", entry["architecture"]!["output_modalities"]![0]!.GetValue<string>());
        Assert.Equal("0.0001", entry["pricing"]!["prompt"]!.GetValue<string>());

        var chat = (await Fixture.Client.GetObjectAsync("/api/v1/models"))["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(Model, chat);
        Assert.Contains("test/multi", chat);
        var filtered = (await Fixture.Client.GetObjectAsync("/api/v1/models?output_modalities=embeddings"))["data"]!.AsArray();
        Assert.Equal(Model, Assert.Single(filtered)!["id"]!.GetValue<string>());
        var all = (await Fixture.Client.GetObjectAsync("/api/v1/models?output_modalities=all"))["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(Model, all);
        Assert.Contains("test/multi", all);
    }

    [Fact]
    public async Task The_v1_prefix_serves_embeddings_too()
    {
        using var response = await Fixture.Client.PostChatAsync(Body("alpha", Unique("prefix")), "/v1/embeddings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
