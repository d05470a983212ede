using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Generations;

/// <summary>
/// <c>GET /generation</c> and <c>GET /activity</c>: what a finished request left behind, readable at once
/// (records not yet written are answered from memory) and only by the account that made it.
/// </summary>
public sealed class GenerationApiTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private HttpClient _client = null!;
    private HttpClient _management = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync();
        _client = _gateway.CreateGatewayClient();
        _management = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _management.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Generation_shows_model_provider_cost_tokens_and_attribution_of_a_request()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["content"] = "a recorded answer" });
        body["user"] = "user-42";
        body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = body.ToContent() };
        request.Headers.TryAddWithoutValidation("HTTP-Referer", "https://app.example.com/chat");
        request.Headers.TryAddWithoutValidation("X-Title", "Example App");

        using var response = await _client.SendAsync(request);
        var completion = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        var id = completion["id"]!.GetValue<string>();
        Assert.Equal(id, response.Headers.GetValues("X-Generation-Id").Single());
        var usage = completion["usage"]!;

        var data = await GenerationAsync(_client, id);

        Assert.Equal(id, data["id"]!.GetValue<string>());
        Assert.Equal("test/multi", data["model"]!.GetValue<string>());
        Assert.Equal("test/multi", data["requested_model"]!.GetValue<string>());
        Assert.Equal("Alpha", data["provider_name"]!.GetValue<string>());
        Assert.Equal(usage["cost"]!.GetValue<decimal>(), data["total_cost"]!.GetValue<decimal>());
        Assert.True(data["total_cost"]!.GetValue<decimal>() > 0m);
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>(), data["tokens_prompt"]!.GetValue<int>());
        Assert.Equal(usage["completion_tokens"]!.GetValue<int>(), data["tokens_completion"]!.GetValue<int>());
        Assert.Equal(3, data["tokens_completion"]!.GetValue<int>());
        Assert.False(data["streamed"]!.GetValue<bool>());
        Assert.Equal("chat.completions", data["api"]!.GetValue<string>());
        Assert.Equal("completions", data["api_type"]!.GetValue<string>());
        Assert.False(data["cancelled"]!.GetValue<bool>());
        Assert.Equal(200, data["status"]!.GetValue<int>());
        Assert.Equal("stop", data["finish_reason"]!.GetValue<string>());
        Assert.Equal("https://app.example.com/chat", data["http_referer"]!.GetValue<string>());
        Assert.Equal("Example App", data["app_title"]!.GetValue<string>());
        Assert.Equal("user-42", data["external_user"]!.GetValue<string>());
        var attempt = Assert.Single(data["provider_responses"]!.AsArray())!;
        Assert.Equal("Alpha", attempt["provider_name"]!.GetValue<string>());
        Assert.Equal(200, attempt["status"]!.GetValue<int>());
        Assert.True(attempt["latency"]!.GetValue<int>() >= 0);
        Assert.True(data["latency"]!.GetValue<int>() >= attempt["latency"]!.GetValue<int>());
    }

    [Fact]
    public async Task Generation_writes_every_field_openrouters_schema_requires_with_its_empty_value_when_unknown()
    {
        using var response = await _client.PostChatAsync(ChatRequests.Body("test/multi"));
        var id = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["id"]!.GetValue<string>();

        var data = await GenerationAsync(_client, id);

        // Nothing Switchboard could know is left out: OpenRouter's SDK rejects a record without these.
        foreach (var unknown in new[]
        {
            "app_id", "cache_discount", "moderation_latency", "native_tokens_completion_images", "num_fetches", "num_input_audio_prompt",
            "num_media_completion", "num_media_prompt", "num_search_results", "preset_id", "router", "service_tier", "upstream_id",
            "user_agent", "web_search_engine", "workspace_id", "http_referer", "upstream_inference_cost",
        })
        {
            Assert.True(data.ContainsKey(unknown), $"{unknown} is missing: {data.ToJsonString()}");
            Assert.Null(data[unknown]);
        }
        Assert.Equal("global", data["data_region"]!.GetValue<string>());
        Assert.Equal("", data["origin"]!.GetValue<string>());
        Assert.True(data.ContainsKey("generation_time"));
        Assert.True(data.ContainsKey("external_user"));
        Assert.Equal("stop", data["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_never_holds_the_prompt_or_the_completion()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["content"] = "confidential-answer-text" }, content: "confidential-prompt-text");

        using var response = await _client.PostChatAsync(body);
        var id = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["id"]!.GetValue<string>();

        var text = (await GenerationAsync(_client, id)).ToJsonString();
        Assert.DoesNotContain("confidential-prompt-text", text, StringComparison.Ordinal);
        Assert.DoesNotContain("confidential-answer-text", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generation_that_fell_back_lists_the_failed_attempt_before_the_one_that_served()
    {
        var script = new JsonObject
        {
            ["providers"] = new JsonObject { ["alpha"] = new JsonObject { ["status"] = 503 } },
            ["content"] = "served by beta",
        };
        var body = ChatRequests.Body("test/multi", script);
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta"), ["only"] = new JsonArray("alpha", "beta") };

        using var response = await _client.PostChatAsync(body);
        var completion = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        var data = await GenerationAsync(_client, completion["id"]!.GetValue<string>());

        Assert.Equal("Beta", data["provider_name"]!.GetValue<string>());
        Assert.Equal(completion["usage"]!["cost"]!.GetValue<decimal>(), data["total_cost"]!.GetValue<decimal>());
        var attempts = data["provider_responses"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("Alpha", attempts[0]!["provider_name"]!.GetValue<string>());
        Assert.Equal(503, attempts[0]!["status"]!.GetValue<int>());
        Assert.NotEqual("success", attempts[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("Beta", attempts[1]!["provider_name"]!.GetValue<string>());
        Assert.Equal(200, attempts[1]!["status"]!.GetValue<int>());
        Assert.Equal("success", attempts[1]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_of_a_provider_that_refused_connections_lists_the_refusal_first()
    {
        var body = ChatRequests.Body("test/dead-first");
        body["provider"] = new JsonObject { ["order"] = new JsonArray("dead", "alpha") };

        using var response = await _client.PostChatAsync(body);
        var completion = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        var data = await GenerationAsync(_client, completion["id"]!.GetValue<string>());

        var attempts = data["provider_responses"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.Equal("Dead", attempts[0]!["provider_name"]!.GetValue<string>());
        Assert.NotEqual("success", attempts[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("Alpha", attempts[1]!["provider_name"]!.GetValue<string>());
        Assert.Equal("Alpha", data["provider_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streamed_generation_is_marked_streamed_and_costs_what_the_usage_chunk_said()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["content"] = "one two three four" }, stream: true);

        using var response = await _client.PostStreamAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = await SseClient.ReadAllAsync(response);
        Assert.True(messages[^1].IsDone);
        var chunks = messages.Chunks();
        var usage = Assert.Single(chunks, c => c["usage"] is JsonObject)["usage"]!;
        var id = chunks[0]["id"]!.GetValue<string>();

        var data = await GenerationAsync(_client, id);

        Assert.True(data["streamed"]!.GetValue<bool>());
        Assert.Equal(usage["cost"]!.GetValue<decimal>(), data["total_cost"]!.GetValue<decimal>());
        Assert.True(data["total_cost"]!.GetValue<decimal>() > 0m);
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>(), data["tokens_prompt"]!.GetValue<int>());
        Assert.Equal(usage["completion_tokens"]!.GetValue<int>(), data["tokens_completion"]!.GetValue<int>());
        Assert.Equal(chunks[0]["provider"]!.GetValue<string>(), data["provider_name"]!.GetValue<string>());
        Assert.NotNull(data["time_to_first_token"]);
        Assert.Equal(200, Assert.Single(data["provider_responses"]!.AsArray())!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_generation_id_is_a_404()
    {
        var missing = await _client.GetObjectAsync("/api/v1/generation?id=gen-0-doesnotexist0000000", HttpStatusCode.NotFound);
        var noId = await _client.GetObjectAsync("/api/v1/generation", HttpStatusCode.BadRequest);

        Assert.Equal(404, missing["error"]!["code"]!.GetValue<int>());
        Assert.Equal("id", noId["error"]!["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_of_another_account_is_a_404_for_its_keys_but_visible_to_the_owners_management_key()
    {
        using var response = await _client.PostChatAsync(ChatRequests.Body("test/multi"));
        var id = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["id"]!.GetValue<string>();
        var other = await _management.CreateAccountAsync($"other-{Guid.NewGuid():n}", 10m);
        using var otherManagement = _gateway.CreateGatewayClient(other.ManagementKey);
        using var otherInference = _gateway.CreateGatewayClient((await otherManagement.CreateKeyAsync(new { name = "other" })).Key);

        await GenerationAsync(_client, id);
        var byManagement = await otherManagement.GetObjectAsync($"/api/v1/generation?id={id}", HttpStatusCode.NotFound);
        var byInference = await otherInference.GetObjectAsync($"/api/v1/generation?id={id}", HttpStatusCode.NotFound);
        var byOwner = await _management.GetObjectAsync($"/api/v1/generation?id={id}");

        Assert.Equal(404, byManagement["error"]!["code"]!.GetValue<int>());
        Assert.Equal(404, byInference["error"]!["code"]!.GetValue<int>());
        Assert.Equal(id, byOwner["data"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Activity_has_a_row_per_day_model_and_provider_that_sums_the_requests_costs()
    {
        using var account = await NewAccountWithTwoKeysAsync();
        var firstCosts = await SendAsync(account.First.Client, 3);
        var secondCosts = await SendAsync(account.Second.Client, 2);
        var day = firstCosts[0].Day;

        var rows = await ActivityAsync(account.Management, "", expectedRequests: 5);

        var row = Assert.Single(rows, r => r["date"]!.GetValue<string>() == day);
        Assert.Equal("test/multi", row["model"]!.GetValue<string>());
        Assert.Equal("Alpha", row["provider_name"]!.GetValue<string>());
        Assert.Equal(5, row["requests"]!.GetValue<int>());
        Assert.Equal(firstCosts.Concat(secondCosts).Sum(c => c.Cost), row["usage"]!.GetValue<decimal>());
        Assert.Equal(firstCosts.Concat(secondCosts).Sum(c => c.CompletionTokens), row["completion_tokens"]!.GetValue<long>());
        Assert.Equal(firstCosts.Concat(secondCosts).Sum(c => c.PromptTokens), row["prompt_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Activity_filtered_by_api_key_hash_counts_only_that_keys_requests()
    {
        using var account = await NewAccountWithTwoKeysAsync();
        var (management, first) = (account.Management, account.First);
        var firstCosts = await SendAsync(first.Client, 3);
        await SendAsync(account.Second.Client, 2);
        var day = firstCosts[0].Day;
        await ActivityAsync(management, "", expectedRequests: 5);

        var rows = await ActivityAsync(management, $"?api_key_hash={first.Hash}", expectedRequests: 3);
        var onDay = await ActivityAsync(management, $"?api_key_hash={first.Hash}&date={day}", expectedRequests: 3);

        var row = Assert.Single(rows);
        Assert.Equal(day, row["date"]!.GetValue<string>());
        Assert.Equal(3, row["requests"]!.GetValue<int>());
        Assert.Equal(firstCosts.Sum(c => c.Cost), row["usage"]!.GetValue<decimal>());
        Assert.Equal(row.ToJsonString(), Assert.Single(onDay).ToJsonString());
        var otherDay = await management.GetObjectAsync($"/api/v1/activity?date=2020-01-01&api_key_hash={first.Hash}");
        Assert.Empty(otherDay["data"]!.AsArray());
    }

    [Fact]
    public async Task Activity_of_a_key_from_another_account_is_a_404()
    {
        var other = await _management.CreateAccountAsync($"other-{Guid.NewGuid():n}", 10m);
        using var otherManagement = _gateway.CreateGatewayClient(other.ManagementKey);
        var adminHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_gateway.InferenceKey)));

        var refused = await otherManagement.GetObjectAsync($"/api/v1/activity?api_key_hash={adminHash}", HttpStatusCode.NotFound);

        Assert.Equal(404, refused["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Activity_needs_a_management_key()
    {
        var refused = await _client.GetObjectAsync("/api/v1/activity", HttpStatusCode.Forbidden);

        Assert.Equal(403, refused["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("bad")]
    [InlineData("2026-13-01")]
    [InlineData("01/03/2026")]
    public async Task Activity_with_a_malformed_date_is_a_400(string date)
    {
        var refused = await _management.GetObjectAsync($"/api/v1/activity?date={Uri.EscapeDataString(date)}", HttpStatusCode.BadRequest);

        Assert.Equal(400, refused["error"]!["code"]!.GetValue<int>());
        Assert.Equal("date", refused["error"]!["metadata"]!["param"]!.GetValue<string>());
    }

    private sealed record Sent(string Day, decimal Cost, long PromptTokens, long CompletionTokens);

    private sealed record Key(string Hash, HttpClient Client);

    /// <summary>A fresh account, so its activity holds only what the test sent: its management client and two inference keys.</summary>
    private sealed record ActivityAccount(HttpClient Management, Key First, Key Second) : IDisposable
    {
        public void Dispose()
        {
            Management.Dispose();
            First.Client.Dispose();
            Second.Client.Dispose();
        }
    }

    private async Task<ActivityAccount> NewAccountWithTwoKeysAsync()
    {
        var account = await _management.CreateAccountAsync($"activity-{Guid.NewGuid():n}", 10m);
        var management = _gateway.CreateGatewayClient(account.ManagementKey);
        var first = await management.CreateKeyAsync(new { name = "first" });
        var second = await management.CreateKeyAsync(new { name = "second" });
        return new ActivityAccount(management, new Key(first.Hash, _gateway.CreateGatewayClient(first.Key)), new Key(second.Hash, _gateway.CreateGatewayClient(second.Key)));
    }

    private static async Task<List<Sent>> SendAsync(HttpClient client, int count)
    {
        var sent = new List<Sent>();
        for (var i = 0; i < count; i++)
        {
            var body = ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 4 + i });
            body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };
            using var response = await client.PostChatAsync(body);
            var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
            var usage = json["usage"]!;
            var day = DateTimeOffset.FromUnixTimeSeconds(json["created"]!.GetValue<long>()).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            sent.Add(new Sent(day, usage["cost"]!.GetValue<decimal>(), usage["prompt_tokens"]!.GetValue<long>(), usage["completion_tokens"]!.GetValue<long>()));
        }
        return sent;
    }

    /// <summary>
    /// GET /activity once it counts <paramref name="expectedRequests"/>. Activity reads only written records, and
    /// records are written off the request path with no signal a client can wait on, so this polls briefly.
    /// </summary>
    private static async Task<List<JsonObject>> ActivityAsync(HttpClient management, string query, int expectedRequests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var rows = (await management.GetObjectAsync($"/api/v1/activity{query}"))["data"]!.AsArray().Select(r => r!.AsObject()).ToList();
            var requests = rows.Sum(r => r["requests"]!.GetValue<int>());
            if (requests >= expectedRequests || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expectedRequests, requests);
                return rows;
            }
            await Task.Delay(20);
        }
    }

    /// <summary>GET /generation right after the response: the gateway answers from memory until the record is written.</summary>
    private static async Task<JsonObject> GenerationAsync(HttpClient client, string id) =>
        (await client.GetObjectAsync($"/api/v1/generation?id={Uri.EscapeDataString(id)}"))["data"]!.AsObject();
}
