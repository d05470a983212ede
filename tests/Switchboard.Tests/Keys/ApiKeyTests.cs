using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Keys;

/// <summary>
/// The key API and key authentication: how keys are issued, stored, switched off, limited and scoped to their
/// account. The gateway's wall clock is a <see cref="TestClock"/>; only the limit-reset tests move it, and every
/// other test reads it consistently within itself.
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private GatewayFactory _gateway = null!;
    private HttpClient _management = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync(clock: _clock);
        _management = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
    }

    public async Task DisposeAsync()
    {
        _management.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-sb-v1-00000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("Bearer not-a-key-at-all")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("Bearer ")]
    public async Task Requests_without_a_known_bearer_key_are_rejected_with_401_in_the_error_shape(string? authorization)
    {
        using var client = _gateway.CreateAnonymousClient();
        foreach (var (method, path, body) in new (HttpMethod, string, JsonNode?)[]
        {
            (HttpMethod.Post, "/api/v1/chat/completions", ChatRequests.Body("test/multi")),
            (HttpMethod.Get, "/api/v1/key", null),
            (HttpMethod.Get, "/api/v1/keys", null),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = body?.ToContent() };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await client.SendAsync(request);

            var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.Unauthorized);
            var error = json["error"]!.AsObject();
            Assert.Equal(401, error["code"]!.GetValue<int>());
            Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Creating_a_key_returns_201_with_the_secret_whose_sha256_is_the_hash_and_reads_never_show_it()
    {
        using var response = await _management.PostAsJsonAsync("/api/v1/keys", new { name = "created" });

        var created = await AccountClient.ReadObjectAsync(response, HttpStatusCode.Created);
        var key = created["key"]!.GetValue<string>();
        var hash = created["data"]!["hash"]!.GetValue<string>();
        Assert.Matches("^sk-sb-v1-[0-9a-f]{64}$", key);
        Assert.Equal(Sha256Hex(key), hash);
        Assert.Equal("created", created["data"]!["name"]!.GetValue<string>());
        Assert.False(created["data"]!["is_management_key"]!.GetValue<bool>());

        var secret = key["sk-sb-v1-".Length..];
        foreach (var path in new[] { $"/api/v1/keys/{hash}", "/api/v1/keys", "/api/v1/keys?include_disabled=true" })
        {
            using var read = await _management.GetAsync(path);
            var text = await read.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Contains(hash, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
        using var own = _gateway.CreateGatewayClient(key);
        using var self = await own.GetAsync("/api/v1/key");
        var ownText = await self.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Contains(hash, ownText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ownText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Current_key_reports_the_free_model_allowance_used_today_and_openrouters_empty_values()
    {
        var account = await _management.CreateAccountAsync($"current-{Guid.NewGuid():n}", 1m);
        using var manager = _gateway.CreateGatewayClient(account.ManagementKey);
        using var caller = _gateway.CreateGatewayClient((await manager.CreateKeyAsync(new { name = "current" })).Key);

        var before = (await caller.GetObjectAsync("/api/v1/key"))["data"]!.AsObject();
        using (var free = await caller.PostChatAsync(ChatRequests.Body("test/free:free")))
        {
            Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        }
        var after = (await caller.GetObjectAsync("/api/v1/key"))["data"]!.AsObject();

        var allowance = after["free_model_daily_requests"]!;
        Assert.Equal(before["free_model_daily_requests"]!["used"]!.GetValue<int>() + 1, allowance["used"]!.GetValue<int>());
        Assert.Equal(allowance["limit"]!.GetValue<int>() - allowance["used"]!.GetValue<int>(), allowance["remaining"]!.GetValue<int>());
        Assert.Empty(after["allowed_data_regions"]!.AsArray());
        Assert.Equal(-1, after["rate_limit"]!["requests"]!.GetValue<int>()); // no per-key rate limit on this gateway
        Assert.Equal("", after["workspace_id"]!.GetValue<string>());
        foreach (var unknown in new[] { "creator_user_id", "organization_id" })
        {
            Assert.True(after.ContainsKey(unknown), unknown);
            Assert.Null(after[unknown]);
        }
        Assert.Equal(0m, after["byok_usage_daily"]!.GetValue<decimal>());

        // The /keys views carry the ApiKey fields, not the caller's own limits.
        var listed = (await manager.GetObjectAsync("/api/v1/keys"))["data"]!.AsArray()[0]!.AsObject();
        Assert.False(listed.ContainsKey("free_model_daily_requests"));
        Assert.True(listed.ContainsKey("external_user"));
        Assert.Equal("", listed["workspace_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_hash_of_a_key_reaches_the_database_files()
    {
        var created = await _management.CreateKeyAsync(new { name = "stored" });
        using var client = _gateway.CreateGatewayClient(created.Key);
        using (var response = await client.PostChatAsync(ChatRequests.Body("test/multi")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(File.Exists(_gateway.DatabasePath), $"The gateway has no database at {_gateway.DatabasePath}.");
        var files = new[] { _gateway.DatabasePath, _gateway.DatabasePath + "-wal" }.Where(File.Exists).ToList();
        var bytes = files.Select(ReadShared).ToList();

        var secret = created.Key["sk-sb-v1-".Length..];
        foreach (var (file, content) in files.Zip(bytes))
        {
            Assert.False(Contains(content, created.Key), $"{Path.GetFileName(file)} holds the key's plaintext");
            Assert.False(Contains(content, secret), $"{Path.GetFileName(file)} holds the key's secret part");
        }
        Assert.Contains(bytes, content => Contains(content, created.Hash));
    }

    [Fact]
    public async Task Disabled_key_is_rejected_with_401_on_the_next_request_and_works_again_once_enabled()
    {
        var created = await _management.CreateKeyAsync(new { name = "switched" });
        using var client = _gateway.CreateGatewayClient(created.Key);
        await AssertChatStatusAsync(client, HttpStatusCode.OK);

        var disabled = await PatchAsync(created.Hash, new { disabled = true });
        Assert.True(disabled["data"]!["disabled"]!.GetValue<bool>());
        var refused = await AssertChatStatusAsync(client, HttpStatusCode.Unauthorized);
        Assert.Contains("disabled", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var enabled = await PatchAsync(created.Hash, new { disabled = false });
        Assert.False(enabled["data"]!["disabled"]!.GetValue<bool>());
        await AssertChatStatusAsync(client, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Disabled_keys_are_listed_only_when_asked_for()
    {
        var created = await _management.CreateKeyAsync(new { name = "hidden" });
        await PatchAsync(created.Hash, new { disabled = true });

        var listed = await _management.GetObjectAsync("/api/v1/keys");
        var all = await _management.GetObjectAsync("/api/v1/keys?include_disabled=true");

        Assert.DoesNotContain(listed["data"]!.AsArray(), k => k!["hash"]!.GetValue<string>() == created.Hash);
        Assert.Contains(all["data"]!.AsArray(), k => k!["hash"]!.GetValue<string>() == created.Hash);
    }

    [Fact]
    public async Task Deleted_key_answers_deleted_true_then_gets_401_and_is_no_longer_found()
    {
        var created = await _management.CreateKeyAsync(new { name = "doomed" });
        using var client = _gateway.CreateGatewayClient(created.Key);
        await AssertChatStatusAsync(client, HttpStatusCode.OK);

        using (var deleted = await _management.DeleteAsync($"/api/v1/keys/{created.Hash}"))
        {
            var json = await AccountClient.ReadObjectAsync(deleted, HttpStatusCode.OK);
            Assert.True(json["deleted"]!.GetValue<bool>());
        }

        await AssertChatStatusAsync(client, HttpStatusCode.Unauthorized);
        using (var gone = await client.GetAsync("/api/v1/key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        }
        var notFound = await _management.GetObjectAsync($"/api/v1/keys/{created.Hash}", HttpStatusCode.NotFound);
        Assert.Equal(404, notFound["error"]!["code"]!.GetValue<int>());
        using var again = await _management.DeleteAsync($"/api/v1/keys/{created.Hash}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Key_past_its_expiry_is_rejected_with_401_expired()
    {
        var now = _clock.GetUtcNow();
        var created = await _management.CreateKeyAsync(new { name = "stale", expires_at = Iso(now.AddHours(1)) });
        using var client = _gateway.CreateGatewayClient(created.Key);
        // Works, and is in memory from here on: expiry is checked on every request, not when a key is loaded. (A read,
        // not a chat request: a credit lease taken an hour before the audit would look abandoned.)
        await client.GetObjectAsync("/api/v1/key");

        _clock.Set(now.AddHours(1));

        var refused = await AssertChatStatusAsync(client, HttpStatusCode.Unauthorized);

        Assert.Equal(401, refused["error"]!["code"]!.GetValue<int>());
        Assert.Contains("expired", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var viaKey = await client.GetObjectAsync("/api/v1/key", HttpStatusCode.Unauthorized);
        Assert.Contains("expired", viaKey["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(-86_400 * 365)]
    public async Task An_expiry_that_is_not_in_the_future_is_a_400_naming_expires_at_on_create_and_on_update(int secondsFromNow)
    {
        var expires = Iso(_clock.GetUtcNow().AddSeconds(secondsFromNow));
        var existing = await _management.CreateKeyAsync(new { name = "kept" });

        using var create = await _management.PostAsJsonAsync("/api/v1/keys", new { name = "born expired", expires_at = expires });
        using var update = await _management.PatchAsync($"/api/v1/keys/{existing.Hash}", new JsonObject { ["expires_at"] = expires }.ToContent());

        foreach (var response in new[] { create, update })
        {
            var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
            Assert.Equal(400, error["code"]!.GetValue<int>());
            Assert.Equal("expires_at", error["metadata"]!["param"]!.GetValue<string>());
            Assert.Contains("'expires_at' must be in the future", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var keys = (await _management.GetObjectAsync("/api/v1/keys"))["data"]!.AsArray();
        Assert.DoesNotContain(keys, k => k!["name"]!.GetValue<string>() == "born expired");
        Assert.Null((await _management.GetObjectAsync($"/api/v1/keys/{existing.Hash}"))["data"]!["expires_at"]);
    }

    [Fact]
    public async Task An_expired_key_can_still_be_renamed_or_have_its_expiry_cleared()
    {
        var now = _clock.GetUtcNow();
        var created = await _management.CreateKeyAsync(new { name = "lapsed", expires_at = Iso(now.AddMinutes(5)) });
        _clock.Set(now.AddHours(1));

        var renamed = (await PatchAsync(created.Hash, new { name = "lapsed, renamed" }))["data"]!;
        var cleared = (await PatchAsync(created.Hash, new { expires_at = (string?)null }))["data"]!.AsObject();

        Assert.Equal("lapsed, renamed", renamed["name"]!.GetValue<string>());
        Assert.NotNull(renamed["expires_at"]);
        Assert.Null(cleared["expires_at"]);
    }

    [Fact]
    public async Task Key_whose_expiry_is_ahead_works()
    {
        var expires = _clock.GetUtcNow().AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var created = await _management.CreateKeyAsync(new { name = "fresh", expires_at = expires });
        using var client = _gateway.CreateGatewayClient(created.Key);

        await AssertChatStatusAsync(client, HttpStatusCode.OK);
        Assert.NotNull(created.Data["expires_at"]);
    }

    [Fact]
    public async Task Management_key_calling_a_model_is_refused_with_403()
    {
        var refused = await AssertChatStatusAsync(_management, HttpStatusCode.Forbidden);

        Assert.Equal(403, refused["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Inference_key_managing_keys_is_refused_with_403()
    {
        using var inference = _gateway.CreateGatewayClient();

        var listed = await inference.GetObjectAsync("/api/v1/keys", HttpStatusCode.Forbidden);
        using var create = await inference.PostAsJsonAsync("/api/v1/keys", new { name = "escalation" });

        Assert.Equal(403, listed["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task Either_kind_of_key_reads_itself_from_the_key_endpoint()
    {
        using var inference = _gateway.CreateGatewayClient();

        var own = await inference.GetObjectAsync("/api/v1/key");
        var management = await _management.GetObjectAsync("/api/v1/key");

        Assert.False(own["data"]!["is_management_key"]!.GetValue<bool>());
        Assert.Equal(Sha256Hex(_gateway.InferenceKey), own["data"]!["hash"]!.GetValue<string>());
        Assert.True(management["data"]!["is_management_key"]!.GetValue<bool>());
        Assert.Equal(Sha256Hex(GatewayFactory.ManagementKey), management["data"]!["hash"]!.GetValue<string>());
        using var legacy = await inference.GetAsync("/api/v1/auth/key");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
    }

    [Fact]
    public async Task Key_endpoint_reports_usage_and_what_is_left_of_a_daily_limit()
    {
        var created = await _management.CreateKeyAsync(new { name = "metered", limit = 5, limit_reset = "daily" });
        using var client = _gateway.CreateGatewayClient(created.Key);
        using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cost = (await response.JsonAsync())["usage"]!["cost"]!.GetValue<decimal>();

        var data = (await client.GetObjectAsync("/api/v1/key"))["data"]!;

        var usage = data["usage"]!.GetValue<decimal>();
        Assert.True(usage > 0m, data.ToJsonString());
        Assert.Equal(cost, usage);
        Assert.Equal(usage, data["usage_daily"]!.GetValue<decimal>());
        Assert.Equal(usage, data["usage_weekly"]!.GetValue<decimal>());
        Assert.Equal(usage, data["usage_monthly"]!.GetValue<decimal>());
        Assert.Equal(5m, data["limit"]!.GetValue<decimal>());
        Assert.Equal(5m - usage, data["limit_remaining"]!.GetValue<decimal>());
        Assert.Equal("daily", data["limit_reset"]!.GetValue<string>());
        Assert.False(data["is_management_key"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Key_without_a_limit_shows_null_limit_fields()
    {
        var created = await _management.CreateKeyAsync(new { name = "unlimited" });

        var data = (await _management.GetObjectAsync($"/api/v1/keys/{created.Hash}"))["data"]!.AsObject();

        Assert.True(data.ContainsKey("limit") && data["limit"] is null);
        Assert.True(data.ContainsKey("limit_remaining") && data["limit_remaining"] is null);
        Assert.True(data.ContainsKey("limit_reset") && data["limit_reset"] is null);
    }

    [Fact]
    public async Task Daily_limit_refuses_with_402_key_limit_until_midnight_UTC_then_allows_again()
    {
        _clock.Set(new DateTimeOffset(2026, 3, 10, 23, 59, 0, TimeSpan.Zero));
        var limit = await LimitForOneRequestAsync();
        var created = await _management.CreateKeyAsync(new { name = "daily", limit, limit_reset = "daily" });
        using var client = _gateway.CreateGatewayClient(created.Key);

        await AssertChatStatusAsync(client, HttpStatusCode.OK, LimitedBody());
        await AssertKeyLimitRefusalAsync(client);

        _clock.Set(new DateTimeOffset(2026, 3, 11, 0, 0, 1, TimeSpan.Zero));
        await AssertChatStatusAsync(client, HttpStatusCode.OK, LimitedBody());
        await AssertKeyLimitRefusalAsync(client);
    }

    [Fact]
    public async Task Weekly_limit_does_not_reset_on_Tuesday_but_does_on_Monday()
    {
        _clock.Set(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero)); // a Monday
        var limit = await LimitForOneRequestAsync();
        var created = await _management.CreateKeyAsync(new { name = "weekly", limit, limit_reset = "weekly" });
        using var client = _gateway.CreateGatewayClient(created.Key);
        await AssertChatStatusAsync(client, HttpStatusCode.OK, LimitedBody());
        await AssertKeyLimitRefusalAsync(client);

        _clock.Set(new DateTimeOffset(2026, 3, 10, 0, 0, 1, TimeSpan.Zero)); // Tuesday: same week
        await AssertKeyLimitRefusalAsync(client);
        _clock.Set(new DateTimeOffset(2026, 3, 15, 23, 59, 59, TimeSpan.Zero)); // Sunday night: still the same week
        await AssertKeyLimitRefusalAsync(client);

        _clock.Set(new DateTimeOffset(2026, 3, 16, 0, 0, 1, TimeSpan.Zero)); // the next Monday
        await AssertChatStatusAsync(client, HttpStatusCode.OK, LimitedBody());
    }

    [Fact]
    public async Task Limit_without_reset_never_starts_over()
    {
        _clock.Set(new DateTimeOffset(2026, 3, 10, 23, 59, 0, TimeSpan.Zero));
        var limit = await LimitForOneRequestAsync();
        var created = await _management.CreateKeyAsync(new { name = "lifetime", limit });
        using var client = _gateway.CreateGatewayClient(created.Key);
        await AssertChatStatusAsync(client, HttpStatusCode.OK, LimitedBody());

        _clock.Set(new DateTimeOffset(2026, 4, 1, 0, 0, 1, TimeSpan.Zero));
        await AssertKeyLimitRefusalAsync(client);
    }

    [Theory]
    [InlineData("""{"limit_reset":"hourly"}""", "limit_reset")]
    [InlineData("""{"limit":-1}""", "limit")]
    [InlineData("""{"limit":"ten"}""", "limit")]
    [InlineData("""{"disabled":"yes"}""", "disabled")]
    [InlineData("""{"expires_at":"next tuesday"}""", "expires_at")]
    [InlineData("""{"name":""}""", "name")]
    public async Task Patching_a_key_with_an_invalid_field_is_a_400_naming_the_field(string patch, string field)
    {
        var created = await _management.CreateKeyAsync(new { name = "patched" });

        using var response = await _management.PatchAsync($"/api/v1/keys/{created.Hash}", JsonNode.Parse(patch)!.ToContent());

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal(field, error["metadata"]!["param"]!.GetValue<string>());
        Assert.Contains($"'{field}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var unchanged = (await _management.GetObjectAsync($"/api/v1/keys/{created.Hash}"))["data"]!;
        Assert.Equal("patched", unchanged["name"]!.GetValue<string>());
        Assert.False(unchanged["disabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"limit":1}""")]
    [InlineData("""{"name":null}""")]
    public async Task Creating_a_key_without_a_name_is_a_400(string body)
    {
        using var response = await _management.PostAsync("/api/v1/keys", JsonNode.Parse(body)!.ToContent());

        var error = (await AccountClient.ReadObjectAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Equal("name", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patching_a_key_applies_only_the_fields_sent()
    {
        var created = await _management.CreateKeyAsync(new { name = "before", limit = 3, limit_reset = "monthly" });

        var patched = (await PatchAsync(created.Hash, new { name = "after" }))["data"]!;
        var cleared = (await PatchAsync(created.Hash, new { limit = (decimal?)null, limit_reset = (string?)null }))["data"]!.AsObject();

        Assert.Equal("after", patched["name"]!.GetValue<string>());
        Assert.Equal(3m, patched["limit"]!.GetValue<decimal>());
        Assert.Equal("monthly", patched["limit_reset"]!.GetValue<string>());
        Assert.Equal("after", cleared["name"]!.GetValue<string>());
        Assert.Null(cleared["limit"]);
        Assert.Null(cleared["limit_reset"]);
    }

    [Fact]
    public async Task Management_key_of_another_account_cannot_see_or_change_this_accounts_keys()
    {
        var other = await _management.CreateAccountAsync($"other-{Guid.NewGuid():n}", 10m);
        using var otherManagement = _gateway.CreateGatewayClient(other.ManagementKey);
        var adminInferenceHash = Sha256Hex(_gateway.InferenceKey);

        var read = await otherManagement.GetObjectAsync($"/api/v1/keys/{adminInferenceHash}", HttpStatusCode.NotFound);
        using var patch = await otherManagement.PatchAsJsonAsync($"/api/v1/keys/{adminInferenceHash}", new { disabled = true });
        using var delete = await otherManagement.DeleteAsync($"/api/v1/keys/{adminInferenceHash}");
        var listed = await otherManagement.GetObjectAsync("/api/v1/keys?include_disabled=true");

        Assert.Equal(404, read["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain(listed["data"]!.AsArray(), k => k!["hash"]!.GetValue<string>() == adminInferenceHash);
        using var inference = _gateway.CreateGatewayClient();
        var stillThere = await inference.GetObjectAsync("/api/v1/key");
        Assert.False(stillThere["data"]!["disabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Management_key_of_another_account_sees_only_its_own_keys()
    {
        var other = await _management.CreateAccountAsync($"other-{Guid.NewGuid():n}", 10m);
        using var otherManagement = _gateway.CreateGatewayClient(other.ManagementKey);
        var own = await otherManagement.CreateKeyAsync(new { name = "theirs" });

        var listed = await otherManagement.GetObjectAsync("/api/v1/keys?include_disabled=true");
        var adminListed = await _management.GetObjectAsync("/api/v1/keys?include_disabled=true");
        var adminRead = await _management.GetObjectAsync($"/api/v1/keys/{own.Hash}", HttpStatusCode.NotFound);

        var hashes = listed["data"]!.AsArray().Select(k => k!["hash"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { own.Hash, Sha256Hex(other.ManagementKey) }, hashes);
        Assert.DoesNotContain(adminListed["data"]!.AsArray(), k => k!["hash"]!.GetValue<string>() == own.Hash);
        Assert.Equal(404, adminRead["error"]!["code"]!.GetValue<int>());
    }

    /// <summary>
    /// A request whose cost is almost all completion: alpha only, exactly <c>max_tokens</c> generated, so the
    /// reservation (estimated prompt plus <c>max_tokens</c>) is only a little above what it is charged.
    /// </summary>
    private static JsonObject LimitedBody()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["tokens"] = 200 });
        body["max_tokens"] = 200;
        body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };
        return body;
    }

    /// <summary>
    /// A limit that fits one <see cref="LimitedBody"/> request but not two: its hold (a prompt token per byte and
    /// 200 completion tokens at alpha's 1 and 2 USD per million) plus half its cost, measured with the admin's key.
    /// After one request, the hold less half a cost is left: less than the next hold.
    /// </summary>
    private async Task<decimal> LimitForOneRequestAsync()
    {
        using var admin = _gateway.CreateGatewayClient();
        using var response = await admin.PostChatAsync(LimitedBody());
        var json = await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
        Assert.Equal(200, json["usage"]!["completion_tokens"]!.GetValue<int>());
        var hold = BillingTestKit.Hold(LimitedBody(), promptPrice: 0.000001m, completionPrice: 0.000002m);
        return hold + json["usage"]!["cost"]!.GetValue<decimal>() / 2;
    }

    private static async Task AssertKeyLimitRefusalAsync(HttpClient client)
    {
        var refused = await AssertChatStatusAsync(client, HttpStatusCode.PaymentRequired, LimitedBody());
        var error = refused["error"]!;
        Assert.Equal(402, error["code"]!.GetValue<int>());
        Assert.Equal("key_limit", error["metadata"]!["limit_source"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AssertChatStatusAsync(HttpClient client, HttpStatusCode expected, JsonObject? body = null)
    {
        using var response = await client.PostChatAsync(body ?? ChatRequests.Body("test/multi"));
        return await AccountClient.ReadObjectAsync(response, expected);
    }

    private async Task<JsonObject> PatchAsync(string hash, object patch)
    {
        using var response = await _management.PatchAsJsonAsync($"/api/v1/keys/{hash}", patch);
        return await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK);
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static byte[] ReadShared(string path)
    {
        // The gateway has the files open; SQLite may checkpoint (and truncate the WAL) while we read.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
