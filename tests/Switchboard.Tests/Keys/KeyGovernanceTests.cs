using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// A gateway whose catalog has <c>openrouter/auto</c>'s test candidates, and an alias (<c>multi-2026</c>) for
/// <c>test/multi</c>, so key rules can be shown to judge the catalog id an alias resolves to.
/// </summary>
public sealed class KeyGovernanceFixture : IAsyncLifetime
{
    public GatewayFactory Gateway { get; private set; } = null!;

    public HttpClient Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:CatalogPath"] = TestCatalog.AutoFilePath,
            ["Switchboard:Models:test/multi:Aliases:0"] = "multi-2026",
        };
        for (var i = 0; i < TestCatalog.AutoCandidates.Length; i++)
        {
            settings[$"Switchboard:AutoRouter:Candidates:{i}"] = TestCatalog.AutoCandidates[i];
        }
        Gateway = await GatewayFactory.StartAsync(settings);
        Management = Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        Management.Dispose();
        await Gateway.DisposeAsync();
    }
}

/// <summary>
/// Per-key governance over real HTTP: <c>allowed_models</c> (wildcards, variants, aliases, fallback lists,
/// <c>openrouter/auto</c>) and <c>allowed_providers</c> (intersected with <c>provider.only</c>) refuse with 403 in the
/// caller's dialect, naming the rule, and cost nothing; changes apply on the next request.
/// </summary>
public sealed class KeyGovernanceTests(KeyGovernanceFixture fixture) : IClassFixture<KeyGovernanceFixture>
{
    private GatewayFactory Gateway => fixture.Gateway;

    private async Task<(HttpClient Client, string Hash)> KeyAsync(object rules)
    {
        var body = JsonSerializer(rules);
        body["name"] = "governed";
        var created = await fixture.Management.CreateKeyAsync(body);
        return (Gateway.CreateGatewayClient(created.Key), created.Hash);
    }

    private static JsonObject JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    private static async Task<JsonObject> ForbiddenAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Expected 403, got {(int)response.StatusCode}: {text}");
        Assert.False(response.Headers.Contains("X-Generation-Id"), "a refused request is never named as a generation");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task A_model_outside_allowed_models_gets_403_naming_the_rule_in_chat_responses_and_completions()
    {
        var (client, _) = await KeyAsync(new { allowed_models = new[] { "test/other" } });

        using (var allowed = await client.PostChatAsync(ChatRequests.Body("test/other")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var bodies = new (string Path, JsonObject Body)[]
        {
            ("/api/v1/chat/completions", ChatRequests.Body("test/multi")),
            ("/api/v1/chat/completions", ChatRequests.Body("test/multi", stream: true)),
            ("/api/v1/responses", new JsonObject { ["model"] = "test/multi", ["input"] = "Hello" }),
            ("/api/v1/completions", new JsonObject { ["model"] = "test/multi", ["prompt"] = "Hello" }),
        };
        foreach (var (path, body) in bodies)
        {
            using var refused = await client.PostChatAsync(body, path);
            var error = (await ForbiddenAsync(refused))["error"]!;
            Assert.Equal(403, error["code"]!.GetValue<int>());
            Assert.Equal("This key may not use 'test/multi': its allowed_models are test/other.", error["message"]!.GetValue<string>());
            Assert.Equal("key_model_not_allowed", error["metadata"]!["error_type"]!.GetValue<string>());
            Assert.Equal("allowed_models", error["metadata"]!["rule"]!.GetValue<string>());
            Assert.Equal("test/multi", error["metadata"]!["model"]!.GetValue<string>());
            Assert.Equal("test/other", error["metadata"]!["allowed"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_messages_api_and_its_token_count_refuse_in_anthropics_shape()
    {
        var created = await fixture.Management.CreateKeyAsync(new { name = "claude code", allowed_models = new[] { "test/other" } });
        using var client = Gateway.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("x-api-key", created.Key);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" });

        foreach (var path in new[] { "/api/v1/messages", "/api/v1/messages/count_tokens" })
        {
            var body = new JsonObject { ["model"] = "test/multi", ["max_tokens"] = 50, ["messages"] = messages.DeepClone() };
            using var refused = await client.PostAsync(path, body.ToContent());
            var json = await ForbiddenAsync(refused);
            Assert.Equal("error", json["type"]!.GetValue<string>());
            Assert.Equal("permission_error", json["error"]!["type"]!.GetValue<string>());
            Assert.Equal("This key may not use 'test/multi': its allowed_models are test/other.", json["error"]!["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Embeddings_refuse_a_model_outside_allowed_models_and_serve_an_allowed_one()
    {
        var (refusedClient, _) = await KeyAsync(new { allowed_models = new[] { "test/multi" } });
        var (allowedClient, _) = await KeyAsync(new { allowed_models = new[] { "test/emb*" } });
        var body = new JsonObject { ["model"] = "test/embed", ["input"] = "vectors please" };

        using var refused = await refusedClient.PostChatAsync(body, "/api/v1/embeddings");
        var error = (await ForbiddenAsync(refused))["error"]!;
        Assert.Equal("key_model_not_allowed", error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Contains("'test/embed'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var served = await allowedClient.PostChatAsync(body.DeepClone(), "/api/v1/embeddings");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Theory]
    [InlineData("test/m*", "test/multi", true)]
    [InlineData("test/m*", "test/other", false)]
    [InlineData("TEST/MULTI", "test/multi", true)]
    [InlineData("*/multi", "Test/Multi", true)]
    [InlineData("test/multi", "test/multi:nitro", true)]  // a pattern without a variant allows every variant
    [InlineData("test/free", "test/free:free", true)]
    [InlineData("*:free", "test/free:free", true)]         // a pattern with a variant allows only that variant
    [InlineData("*:free", "test/free", false)]
    [InlineData("test/free:free", "test/free:nitro", false)]
    [InlineData("test/multi", "multi-2026", true)]         // an alias is judged as the catalog id it resolves to
    [InlineData("multi-*", "multi-2026", false)]
    public async Task Patterns_match_the_catalog_id_with_wildcards_variants_and_aliases(string pattern, string requested, bool allowed)
    {
        var (client, _) = await KeyAsync(new { allowed_models = new[] { pattern } });

        using var response = await client.PostChatAsync(ChatRequests.Body(requested));

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            var error = (await ForbiddenAsync(response))["error"]!;
            Assert.Equal("key_model_not_allowed", error["metadata"]!["error_type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_alias_is_refused_under_the_catalog_id_it_resolves_to()
    {
        var (client, _) = await KeyAsync(new { allowed_models = new[] { "test/other" } });

        using var refused = await client.PostChatAsync(ChatRequests.Body("multi-2026"));

        var error = (await ForbiddenAsync(refused))["error"]!;
        Assert.Equal("This key may not use 'test/multi': its allowed_models are test/other.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_fallback_list_naming_one_forbidden_model_is_refused_whole_naming_it()
    {
        var (client, _) = await KeyAsync(new { allowed_models = new[] { "test/multi" } });
        var body = ChatRequests.Body("test/multi");
        body["models"] = new JsonArray("test/multi", "test/other");

        using var refused = await client.PostChatAsync(body);

        var error = (await ForbiddenAsync(refused))["error"]!;
        Assert.Equal("This key may not use 'test/other': its allowed_models are test/multi.", error["message"]!.GetValue<string>());
        Assert.Equal("models", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_allowed_providers_endpoints_are_used_intersected_with_provider_only()
    {
        var (client, _) = await KeyAsync(new { allowed_providers = new[] { "beta" } });

        // test/multi is cheapest on alpha; the key may only use beta.
        for (var i = 0; i < 3; i++)
        {
            using var served = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("Beta", (await served.JsonAsync())["provider"]!.GetValue<string>());
        }

        var both = ChatRequests.Body("test/multi");
        both["provider"] = new JsonObject { ["only"] = new JsonArray("alpha", "beta") };
        using (var intersected = await client.PostChatAsync(both))
        {
            Assert.Equal("Beta", (await intersected.JsonAsync())["provider"]!.GetValue<string>());
        }

        var alphaOnly = ChatRequests.Body("test/multi");
        alphaOnly["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };
        using var refused = await client.PostChatAsync(alphaOnly);
        var error = (await ForbiddenAsync(refused))["error"]!;
        Assert.Equal("key_provider_not_allowed", error["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Equal("allowed_providers", error["metadata"]!["rule"]!.GetValue<string>());
        Assert.StartsWith("This key may not use any provider that serves test/multi: its allowed_providers are beta.", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("provider.only", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_no_allowed_provider_serves_is_refused_and_a_fallback_list_skips_to_one_that_is()
    {
        var (client, _) = await KeyAsync(new { allowed_providers = new[] { "Beta" } }); // a display name is stored as its slug

        using (var refused = await client.PostChatAsync(ChatRequests.Body("test/free")))
        {
            var error = (await ForbiddenAsync(refused))["error"]!;
            Assert.Equal("This key may not use any provider that serves test/free: its allowed_providers are beta.", error["message"]!.GetValue<string>());
        }

        var body = ChatRequests.Body("test/free");
        body["models"] = new JsonArray("test/free", "test/multi");
        using var served = await client.PostChatAsync(body);
        var json = await served.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("test/multi", json["model"]!.GetValue<string>());
        Assert.Equal("Beta", json["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task Openrouter_auto_chooses_only_among_allowed_models_and_refuses_when_none_is()
    {
        var (narrowed, _) = await KeyAsync(new { allowed_models = new[] { "auto/no-*" } });
        using (var chosen = await narrowed.PostChatAsync(ChatRequests.Body("openrouter/auto")))
        {
            Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
            Assert.StartsWith("auto/no-", (await chosen.JsonAsync())["model"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (none, _) = await KeyAsync(new { allowed_models = new[] { "test/multi" } });
        using var refused = await none.PostChatAsync(ChatRequests.Body("openrouter/auto"));
        var error = (await ForbiddenAsync(refused))["error"]!;
        Assert.Equal("openrouter/auto has no candidate this key may use for this request: its allowed_models are test/multi.", error["message"]!.GetValue<string>());
        Assert.Equal("allowed_models", error["metadata"]!["rule"]!.GetValue<string>());

        // The auto candidates are served by alpha, beta, gamma and nokey: a key held to hoarder reaches none of them.
        var (elsewhere, _) = await KeyAsync(new { allowed_providers = new[] { "hoarder" } });
        using var noProvider = await elsewhere.PostChatAsync(ChatRequests.Body("openrouter/auto"));
        var providerError = (await ForbiddenAsync(noProvider))["error"]!;
        Assert.Equal("key_provider_not_allowed", providerError["metadata"]!["error_type"]!.GetValue<string>());
        Assert.Contains("its allowed_providers are hoarder.", providerError["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_holds_and_records_nothing()
    {
        var account = await fixture.Management.CreateAccountAsync("refused", 5m);
        using var management = Gateway.CreateGatewayClient(account.ManagementKey);
        var key = await management.CreateKeyAsync(new { name = "narrow", allowed_models = new[] { "test/other" }, allowed_providers = new[] { "gamma" } });
        using var client = Gateway.CreateGatewayClient(key.Key);

        using (var model = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            await ForbiddenAsync(model);
        }
        var other = ChatRequests.Body("test/other");
        other["provider"] = new JsonObject { ["only"] = new JsonArray("beta") };
        using (var provider = await client.PostChatAsync(other))
        {
            await ForbiddenAsync(provider);
        }

        var store = StoreReader.Sqlite(Gateway.DataDirectory);
        Assert.Equal(0, await store.CountAsync(
            $"""SELECT COUNT(*) FROM generations g JOIN api_keys k ON g."ApiKeyId" = k."Id" WHERE k."Hash" = '{key.Hash}'"""));
        Assert.Equal((5m, 0m), await store.AccountAsync(account.Id));
    }

    [Fact]
    public async Task A_patch_takes_effect_on_the_next_request_and_null_lifts_the_rule()
    {
        var (client, hash) = await KeyAsync(new { allowed_models = new[] { "test/other" } });
        using (var refused = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            await ForbiddenAsync(refused);
        }

        using (var lifted = await fixture.Management.PatchAsJsonAsync($"/api/v1/keys/{hash}", new { allowed_models = (string[]?)null }))
        {
            Assert.Null((await lifted.JsonAsync())["data"]!["allowed_models"]);
        }
        using (var served = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using (var narrowed = await fixture.Management.PatchAsJsonAsync($"/api/v1/keys/{hash}", new { allowed_providers = new[] { "gamma" } }))
        {
            Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        }
        using var gamma = await client.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal("Gamma", (await gamma.JsonAsync())["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_key_view_shows_the_rules_and_null_clears_them()
    {
        var created = await fixture.Management.CreateKeyAsync(new
        {
            name = "shown",
            allowed_models = new[] { " anthropic/* ", "openai/gpt-5.4-mini", "ANTHROPIC/*" },
            allowed_providers = new[] { "alpha", "Beta" },
            requests_per_minute = 40,
            tokens_per_minute = 100_000,
        });
        foreach (var data in new[]
        {
            created.Data,
            (await fixture.Management.GetObjectAsync($"/api/v1/keys/{created.Hash}"))["data"]!.AsObject(),
            (await fixture.Management.GetObjectAsync("/api/v1/keys"))["data"]!.AsArray().Single(k => k!["hash"]!.GetValue<string>() == created.Hash)!.AsObject(),
        })
        {
            Assert.Equal(["anthropic/*", "openai/gpt-5.4-mini"], data["allowed_models"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Equal(["alpha", "beta"], data["allowed_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Equal(40, data["requests_per_minute"]!.GetValue<int>());
            Assert.Equal(100_000, data["tokens_per_minute"]!.GetValue<long>());
        }
        using (var own = Gateway.CreateGatewayClient(created.Key))
        {
            var current = (await own.GetObjectAsync("/api/v1/key"))["data"]!;
            Assert.Equal("anthropic/*", current["allowed_models"]![0]!.GetValue<string>());
            Assert.Equal(40, current["rate_limit"]!["requests"]!.GetValue<int>());
        }

        using var cleared = await fixture.Management.PatchAsJsonAsync($"/api/v1/keys/{created.Hash}",
            new { allowed_models = (string[]?)null, allowed_providers = (string[]?)null, requests_per_minute = (int?)null, tokens_per_minute = (long?)null });
        var after = (await cleared.JsonAsync())["data"]!.AsObject();
        foreach (var field in new[] { "allowed_models", "allowed_providers", "requests_per_minute", "tokens_per_minute" })
        {
            Assert.True(after.ContainsKey(field), $"{field} is written even when unset");
            Assert.Null(after[field]);
        }
    }

    public static TheoryData<string, string> HostileFields() => new()
    {
        { """{"allowed_models":"anthropic/*"}""", "allowed_models" },
        { """{"allowed_models":5}""", "allowed_models" },
        { """{"allowed_models":{"a":1}}""", "allowed_models" },
        { """{"allowed_models":[1]}""", "allowed_models" },
        { """{"allowed_models":[null]}""", "allowed_models" },
        { """{"allowed_models":[]}""", "allowed_models" },
        { """{"allowed_models":[""]}""", "allowed_models" },
        { """{"allowed_models":["   "]}""", "allowed_models" },
        { """{"allowed_models":["*"]}""", "allowed_models" },
        { """{"allowed_models":["***"]}""", "allowed_models" },
        { """{"allowed_models":["a b/c"]}""", "allowed_models" },
        { """{"allowed_models":["a,b"]}""", "allowed_models" },
        { """{"allowed_models":["ünïcödé/*"]}""", "allowed_models" },
        { """{"allowed_models":["test/\u0000x"]}""", "allowed_models" },
        { """{"allowed_models":["test/x:y"]}""", "allowed_models" },
        { """{"allowed_models":[":free"]}""", "allowed_models" },
        { """{"allowed_models":["a:free:free"]}""", "allowed_models" },
        { $$"""{"allowed_models":["{{new string('a', 201)}}"]}""", "allowed_models" },
        { $$"""{"allowed_models":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"m/{i}\""))}}]}""", "allowed_models" },
        { $$"""{"allowed_models":[{{string.Join(",", Enumerable.Repeat("\"m/x\"", 100_000))}}]}""", "allowed_models" },
        { """{"allowed_providers":"alpha"}""", "allowed_providers" },
        { """{"allowed_providers":["nope"]}""", "allowed_providers" },
        { """{"allowed_providers":[""]}""", "allowed_providers" },
        { """{"allowed_providers":[]}""", "allowed_providers" },
        { """{"allowed_providers":[true]}""", "allowed_providers" },
        { """{"allowed_providers":["alpha/fp8"]}""", "allowed_providers" },
        { """{"requests_per_minute":0}""", "requests_per_minute" },
        { """{"requests_per_minute":-1}""", "requests_per_minute" },
        { """{"requests_per_minute":1.5}""", "requests_per_minute" },
        { """{"requests_per_minute":"10"}""", "requests_per_minute" },
        { """{"requests_per_minute":1e20}""", "requests_per_minute" },
        { """{"requests_per_minute":2000000}""", "requests_per_minute" },
        { """{"requests_per_minute":true}""", "requests_per_minute" },
        { """{"tokens_per_minute":0}""", "tokens_per_minute" },
        { """{"tokens_per_minute":-5}""", "tokens_per_minute" },
        { """{"tokens_per_minute":"many"}""", "tokens_per_minute" },
        { """{"tokens_per_minute":1e30}""", "tokens_per_minute" },
        { """{"is_management_key":true,"allowed_models":["test/multi"]}""", "is_management_key" },
    };

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task Hostile_rule_input_is_a_400_naming_the_field_on_create_and_update(string fields, string param)
    {
        var created = JsonNode.Parse(fields)!.AsObject();
        created["name"] = "hostile";
        using var create = await fixture.Management.PostAsync("/api/v1/keys", created.ToContent());
        await AssertBadRequestAsync(create, param);

        if (param != "is_management_key")
        {
            var (_, hash) = await KeyAsync(new { allowed_models = new[] { "test/multi" } });
            using var update = await fixture.Management.PatchAsync($"/api/v1/keys/{hash}", JsonNode.Parse(fields)!.ToContent());
            await AssertBadRequestAsync(update, param);
            var unchanged = (await fixture.Management.GetObjectAsync($"/api/v1/keys/{hash}"))["data"]!;
            Assert.Equal("test/multi", unchanged["allowed_models"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Rules_cannot_be_set_on_a_management_key()
    {
        var management = await fixture.Management.CreateKeyAsync(new { name = "manager", is_management_key = true });

        using var update = await fixture.Management.PatchAsJsonAsync($"/api/v1/keys/{management.Hash}", new { requests_per_minute = 5 });

        await AssertBadRequestAsync(update, "is_management_key");
    }

    [Fact]
    public async Task Patterns_that_match_no_model_today_are_accepted_since_the_catalog_changes_while_the_gateway_runs()
    {
        var (client, _) = await KeyAsync(new { allowed_models = new[] { "ollama/llama-*" } });

        using var refused = await client.PostChatAsync(ChatRequests.Body("test/multi"));

        await ForbiddenAsync(refused);
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string param)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(param, error["metadata"]!["param"]!.GetValue<string>());
        Assert.Contains(param, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
