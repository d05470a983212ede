using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Simulator;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Settings;

/// <summary>
/// The Settings screen's effects on requests, over HTTP: default model, data policy, stored text, the operator's
/// rates, and accounts' own provider keys. Its own gateway (with a 5 % BYOK fee), since rates are gateway-wide.
/// </summary>
public sealed class AccountSettingsTests : IAsyncLifetime
{
    private const decimal ByokFee = 0.05m;
    private GatewayFactory _gateway = null!;
    private SimulatorServer _simulator = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SharedSimulator.GetAsync();
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Billing:ByokFee"] = "0.05" });
        _admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_request_without_a_model_gets_the_accounts_default_model()
    {
        var (manager, caller) = await NewAccountAsync("defaults");
        var body = ChatRequests.Body("test/multi");
        body.Remove("model");

        using (var refused = await caller.PostChatAsync(body))
        {
            var error = await AccountClient.ReadObjectAsync(refused, HttpStatusCode.BadRequest);
            Assert.Contains("default model", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await PatchSettingsAsync(manager, new { default_model = "test/other" });
        using (var served = await caller.PostChatAsync(body))
        {
            var completion = await AccountClient.ReadObjectAsync(served, HttpStatusCode.OK);
            Assert.Equal("test/other", completion["model"]!.GetValue<string>());
        }

        // A request that names a model still gets it.
        using var named = await caller.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal("test/multi", (await AccountClient.ReadObjectAsync(named, HttpStatusCode.OK))["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Excluding_training_providers_keeps_every_request_away_from_providers_that_collect_data()
    {
        var (manager, caller) = await NewAccountAsync("private");
        var preferHoarder = ChatRequests.Body("test/private");
        preferHoarder["provider"] = new JsonObject { ["order"] = new JsonArray("hoarder") };
        using (var before = await caller.PostChatAsync(preferHoarder))
        {
            Assert.Equal("Hoarder", (await AccountClient.ReadObjectAsync(before, HttpStatusCode.OK))["provider"]!.GetValue<string>());
        }

        await PatchSettingsAsync(manager, new { exclude_training_providers = true });

        preferHoarder["user"] = Guid.NewGuid().ToString("N");
        using (var after = await caller.PostChatAsync(preferHoarder))
        {
            Assert.Equal("Beta", (await AccountClient.ReadObjectAsync(after, HttpStatusCode.OK))["provider"]!.GetValue<string>());
        }
        var onlyHoarder = ChatRequests.Body("test/private");
        onlyHoarder["provider"] = new JsonObject { ["only"] = new JsonArray("hoarder") };
        using var refused = await caller.PostChatAsync(onlyHoarder);
        var error = await AccountClient.ReadObjectAsync(refused, HttpStatusCode.NotFound);
        Assert.Contains("the account's data policy", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(_simulator.Requests.Snapshot(), r => r.Body.Contains(preferHoarder.Marker()) && r.Provider == "hoarder");
    }

    [Fact]
    public async Task Prompts_and_completions_are_stored_only_once_the_account_opts_in()
    {
        var (manager, caller) = await NewAccountAsync("storage");
        var before = ChatRequests.Body("test/multi");
        using (var response = await caller.PostChatAsync(before))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var id = response.Headers.GetValues("X-Generation-Id").Single();
            await WaitForRecordAsync(manager, id);
            using var content = await manager.GetAsync($"/web/generations/{id}/content");
            Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
        }

        await PatchSettingsAsync(manager, new { store_prompts = true });

        var plain = ChatRequests.Body("test/multi", content: "Tell me about <b>tags</b> — and ünïcode");
        string plainId;
        using (var response = await caller.PostChatAsync(plain))
        {
            var completion = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
            plainId = completion["id"]!.GetValue<string>();
            var stored = await StoredAsync(manager, plainId);
            Assert.Equal(completion["choices"]![0]!["message"]!["content"]!.GetValue<string>(), stored["completion"]!.GetValue<string>());
            Assert.Equal(plain.ToJsonString(), JsonNode.Parse(stored["request"]!.GetValue<string>())!.ToJsonString());
        }

        var streamed = ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 12 }, stream: true);
        using (var response = await caller.PostStreamAsync(streamed))
        {
            var id = response.Headers.GetValues("X-Generation-Id").Single();
            var text = new StringBuilder();
            foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal)
                    && JsonNode.Parse(line[6..])!["choices"]!.AsArray() is [{ } choice, ..]
                    && choice["delta"]?["content"] is { } delta)
                {
                    text.Append(delta.GetValue<string>());
                }
            }
            Assert.Equal(12, text.ToString().Split(' ').Length); // the whole streamed answer, one word per token
            Assert.Equal(text.ToString(), (await StoredAsync(manager, id))["completion"]!.GetValue<string>());
        }

        // Another account never reads it.
        var (stranger, _) = await NewAccountAsync("stranger");
        using var foreign = await stranger.GetAsync($"/web/generations/{plainId}/content");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task An_own_provider_key_is_sent_upstream_stored_encrypted_tried_first_and_billed_at_the_byok_fee()
    {
        const string Secret = "sk-own-alpha-7f3c9e2d41b8a6f0";
        var (manager, caller) = await NewAccountAsync("byok");
        using (var set = await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = Secret }))
        {
            var view = (await AccountClient.ReadObjectAsync(set, HttpStatusCode.OK))["data"]!;
            Assert.Equal("…a6f0", view["masked"]!.GetValue<string>());
            Assert.True(view["readable"]!.GetValue<bool>());
        }
        var listed = await manager.GetObjectAsync("/web/provider-keys");
        Assert.DoesNotContain(Secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("alpha", listed["data"]![0]!["provider"]!.GetValue<string>());

        // Billed at the BYOK fee: the charge is 5 % of the provider's list price, which the response reports too.
        var billed = ChatRequests.Body("test/billed");
        using (var response = await caller.PostChatAsync(billed))
        {
            var usage = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!;
            Assert.True(usage["is_byok"]!.GetValue<bool>());
            var listPrice = (usage["prompt_tokens"]!.GetValue<long>() * 1000m + usage["completion_tokens"]!.GetValue<long>() * 2000m) / 1_000_000m;
            Assert.Equal(listPrice, usage["cost_details"]!["upstream_inference_cost"]!.GetValue<decimal>());
            Assert.Equal(listPrice * ByokFee, usage["cost"]!.GetValue<decimal>());
        }
        Assert.Equal("Bearer " + Secret, _simulator.Requests.Snapshot().Single(r => r.Body.Contains(billed.Marker())).Authorization);

        // The key's BYOK spend, in all and this day, week and month: one request today, so all four agree.
        var key = (await caller.GetObjectAsync("/api/v1/key"))["data"]!;
        var byok = key["byok_usage"]!.GetValue<decimal>();
        Assert.True(byok > 0m);
        Assert.All(new[] { "byok_usage_daily", "byok_usage_weekly", "byok_usage_monthly" }, f => Assert.Equal(byok, key[f]!.GetValue<decimal>()));

        // Tried before cheaper providers: alpha is test/multi's cheapest anyway, so give gamma (the dearest) a key.
        using (await manager.PutAsJsonAsync("/web/provider-keys/gamma", new { key = "sk-own-gamma-0123456789abcdef" }))
        {
        }
        using (var response = await caller.PostChatAsync(ChatRequests.Body("test/other")))
        {
            Assert.Equal("Gamma", (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["provider"]!.GetValue<string>());
        }

        // Everyone else still uses the gateway's credential, at the full price.
        var other = ChatRequests.Body("test/billed");
        using (var response = await _gateway.CreateGatewayClient().PostChatAsync(other))
        {
            Assert.False((await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!["is_byok"]!.GetValue<bool>());
        }
        Assert.Equal("Bearer key-alpha", _simulator.Requests.Snapshot().Single(r => r.Body.Contains(other.Marker())).Authorization);

        // Encrypted at rest: the secret is nowhere in the database's files.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_gateway.DataDirectory, "switchboard.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)));
        }

        // Removed: the gateway's credential again.
        using (var removed = await manager.DeleteAsync("/web/provider-keys/alpha"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }
        var after = ChatRequests.Body("test/billed");
        using (var response = await caller.PostChatAsync(after))
        {
            Assert.False((await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!["is_byok"]!.GetValue<bool>());
        }
        Assert.Equal("Bearer key-alpha", _simulator.Requests.Snapshot().Single(r => r.Body.Contains(after.Marker())).Authorization);
        using var missing = await manager.DeleteAsync("/web/provider-keys/alpha");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_provider_refusing_an_accounts_own_key_does_not_mark_the_endpoint_unhealthy_for_everyone()
    {
        _gateway.ResetHealth();
        var (manager, caller) = await NewAccountAsync("refused");
        using (await manager.PutAsJsonAsync("/web/provider-keys/alpha", new { key = "sk-revoked-0000000000000000" }))
        {
        }
        var refused = ChatRequests.Body("test/multi", new JsonObject { ["status"] = 401 });
        refused["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };
        for (var i = 0; i < 4; i++) // more than the failure threshold (3)
        {
            refused["user"] = Guid.NewGuid().ToString("N");
            using var response = await caller.PostChatAsync(refused);
            var error = await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadGateway);
            Assert.Equal(401, error["error"]!["metadata"]!["provider_status"]!.GetValue<int>());
        }
        Assert.Equal(0, await AlphaStatusAsync());

        // The same refusals of the gateway's own credential do count.
        for (var i = 0; i < 4; i++)
        {
            refused["user"] = Guid.NewGuid().ToString("N");
            using var response = await _gateway.CreateGatewayClient().PostChatAsync(refused);
        }
        Assert.NotEqual(0, await AlphaStatusAsync());
        _gateway.ResetHealth();

        async Task<int> AlphaStatusAsync()
        {
            var endpoints = await _gateway.CreateAnonymousClient().GetObjectAsync("/api/v1/models/test/multi/endpoints");
            return endpoints["data"]!["endpoints"]!.AsArray().Single(e => e!["provider_name"]!.GetValue<string>() == "Alpha")!["status"]!.GetValue<int>();
        }
    }

    [Fact]
    public async Task The_operators_markup_prices_the_next_request_and_only_the_operator_may_change_it()
    {
        var (manager, caller) = await NewAccountAsync("rates");
        using (var forbidden = await manager.PutAsJsonAsync("/web/settings/rates", new { markup = 0.5m }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        foreach (var invalid in new object[] { new { markup = -0.1m }, new { markup = 11m }, new { byok_fee = "5%" } })
        {
            using var response = await _admin.PutAsJsonAsync("/web/settings/rates", invalid);
            var error = await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("fraction", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        try
        {
            using (var set = await _admin.PutAsJsonAsync("/web/settings/rates", new { markup = 0.25m, byok_fee = 0.1m }))
            {
                var rates = (await AccountClient.ReadObjectAsync(set, HttpStatusCode.OK))["rates"]!;
                Assert.Equal(0.25m, rates["markup"]!.GetValue<decimal>());
                Assert.Equal(0.05m, rates["configured_byok_fee"]!.GetValue<decimal>());
            }
            using var response = await caller.PostChatAsync(ChatRequests.Body("test/billed"));
            var usage = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["usage"]!;
            var listPrice = (usage["prompt_tokens"]!.GetValue<long>() * 1000m + usage["completion_tokens"]!.GetValue<long>() * 2000m) / 1_000_000m;
            Assert.Equal(listPrice * 1.25m, usage["cost"]!.GetValue<decimal>());
        }
        finally
        {
            using var restored = await _admin.PutAsJsonAsync("/web/settings/rates", new { markup = (decimal?)null, byok_fee = (decimal?)null });
            var rates = (await AccountClient.ReadObjectAsync(restored, HttpStatusCode.OK))["rates"]!;
            Assert.Equal(0m, rates["markup"]!.GetValue<decimal>());
            Assert.Equal(ByokFee, rates["byok_fee"]!.GetValue<decimal>());
        }
        var settings = await manager.GetObjectAsync("/web/settings");
        Assert.Null(settings["rates"]); // an account member does not see the operator's rates
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_the_field_named()
    {
        var (manager, _) = await NewAccountAsync("invalid");
        foreach (var (body, param) in new (object, string)[]
        {
            (new { default_model = "nobody/nothing" }, "default_model"),
            (new { store_prompts = "yes" }, "store_prompts"),
            (new { colour = "blue" }, "colour"),
        })
        {
            using var response = await manager.PatchAsJsonAsync("/web/settings", body);
            var error = await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(param, error["error"]!["metadata"]!["param"]!.GetValue<string>());
        }
        foreach (var (path, body) in new (string, object)[]
        {
            ("/web/provider-keys/nobody", new { key = "sk-0123456789abcdef" }),
            ("/web/provider-keys/alpha", new { key = "two words" }),
            ("/web/provider-keys/alpha", new { key = "" }),
        })
        {
            using var response = await manager.PutAsJsonAsync(path, body);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.NotNull((await response.JsonAsync())["error"]!["message"]);
        }
        var settings = await manager.GetObjectAsync("/web/settings");
        Assert.False(settings["account"]!["store_prompts"]!.GetValue<bool>());
        Assert.Null(settings["account"]!["default_model"]);
    }

    [Fact]
    public async Task Count_tokens_on_a_Claude_endpoint_is_asked_with_the_accounts_own_key()
    {
        const string Secret = "sk-own-claude-5b7d9f1e3a2c4d6e";
        var (manager, caller) = await NewAccountAsync("byok-count");
        using (var set = await manager.PutAsJsonAsync("/web/provider-keys/claude", new { key = Secret }))
        {
            await AccountClient.ReadObjectAsync(set, HttpStatusCode.OK);
        }
        var marker = Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"How many tokens? [{marker}]" }),
            ["provider"] = new JsonObject { ["only"] = new JsonArray("claude") },
        };

        using var response = await caller.PostAsJsonAsync("/api/v1/messages/count_tokens", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider", response.Headers.GetValues("X-Switchboard-Token-Count").Single());
        var upstream = _simulator.Requests.Snapshot().Single(r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("/claude/v1/messages/count_tokens", upstream.Path);
        Assert.Equal(Secret, upstream.Headers["x-api-key"]);
    }

    [Theory]
    [InlineData("claude", false)]
    [InlineData("claude", true)]
    [InlineData("alpha", true)]
    [InlineData("gem", false)]
    public async Task A_Messages_request_stores_the_clients_own_body_and_the_text_it_received(string provider, bool stream)
    {
        var (manager, caller) = await NewAccountAsync($"stored messages {provider} {stream}");
        await PatchSettingsAsync(manager, new { store_prompts = true });
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["max_tokens"] = 64,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = """Keep this <simulator>{"content":"Stored words here"}</simulator>""" }),
            }),
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
            ["stream"] = stream,
        };

        using var response = await caller.PostAsync("/api/v1/messages", body.ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        var answer = await response.Content.ReadAsStringAsync();
        var received = stream
            ? string.Concat(answer.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
                .Select(l => JsonNode.Parse(l[6..])!).Where(e => e["type"]!.GetValue<string>() == "content_block_delta")
                .Select(e => e["delta"]!["text"]?.GetValue<string>()))
            : string.Concat(JsonNode.Parse(answer)!["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "text").Select(b => b!["text"]!.GetValue<string>()));
        Assert.Equal("Stored words here", received);
        var stored = await StoredAsync(manager, id);
        Assert.Equal(received, stored["completion"]!.GetValue<string>());
        Assert.Equal(body.ToJsonString(), JsonNode.Parse(stored["request"]!.GetValue<string>())!.ToJsonString());
    }

    [Theory]
    [InlineData("claude", false)]
    [InlineData("alpha", true)]
    [InlineData("gem", true)]
    public async Task A_legacy_completions_request_stores_the_clients_own_body_and_the_text_it_received(string provider, bool stream)
    {
        var (manager, caller) = await NewAccountAsync($"stored completions {provider} {stream}");
        await PatchSettingsAsync(manager, new { store_prompts = true });
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["prompt"] = """Keep this <simulator>{"content":"Stored words here"}</simulator>""",
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
            ["stream"] = stream,
        };

        using var response = await caller.PostAsync("/api/v1/completions", body.ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        var answer = await response.Content.ReadAsStringAsync();
        var received = stream
            ? string.Concat(answer.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
                .SelectMany(l => JsonNode.Parse(l[6..])!["choices"]!.AsArray()).Select(c => c!["text"]!.GetValue<string>()))
            : JsonNode.Parse(answer)!["choices"]![0]!["text"]!.GetValue<string>();
        Assert.Equal("Stored words here", received);
        var stored = await StoredAsync(manager, id);
        Assert.Equal(received, stored["completion"]!.GetValue<string>());
        Assert.Equal(body.ToJsonString(), JsonNode.Parse(stored["request"]!.GetValue<string>())!.ToJsonString());
    }

    private async Task<(HttpClient Manager, HttpClient Caller)> NewAccountAsync(string name)
    {
        var account = await _admin.CreateAccountAsync(name, 100m);
        var manager = _gateway.CreateGatewayClient(account.ManagementKey);
        var caller = _gateway.CreateGatewayClient((await manager.CreateKeyAsync(new { name = "calls" })).Key);
        return (manager, caller);
    }

    private static async Task PatchSettingsAsync(HttpClient manager, object settings)
    {
        using var response = await manager.PatchAsJsonAsync("/web/settings", settings);
        await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The generation's stored text; the read waits for the journal, so it is there once the response is.</summary>
    private static async Task<JsonObject> StoredAsync(HttpClient manager, string id)
    {
        await WaitForRecordAsync(manager, id);
        return await manager.GetObjectAsync($"/web/generations/{id}/content");
    }

    /// <summary>The record (and text) are journaled just after the response ends: read until the record shows.</summary>
    private static async Task WaitForRecordAsync(HttpClient manager, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await manager.GetAsync($"/api/v1/generation?id={id}");
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return;
            }
            await Task.Delay(50);
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}
