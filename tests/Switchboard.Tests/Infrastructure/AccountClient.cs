using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Infrastructure;

/// <summary>The account and key APIs, as tests drive them over HTTP.</summary>
public static class AccountClient
{
    public sealed record CreatedKey(string Key, string Hash, JsonObject Data);

    public sealed record CreatedAccount(long Id, string ManagementKey);

    /// <summary>POST /keys with a management client; asserts 201.</summary>
    public static async Task<CreatedKey> CreateKeyAsync(this HttpClient management, object body)
    {
        using var response = await management.PostAsJsonAsync("/api/v1/keys", body);
        var json = await ReadObjectAsync(response, HttpStatusCode.Created);
        var data = json["data"]!.AsObject();
        return new CreatedKey(json["key"]!.GetValue<string>(), data["hash"]!.GetValue<string>(), data);
    }

    /// <summary>POST /admin/accounts with the admin's management client; the new account has its own management key.</summary>
    public static async Task<CreatedAccount> CreateAccountAsync(this HttpClient admin, string name, decimal credits)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/admin/accounts", new { name, credits });
        var json = await ReadObjectAsync(response, HttpStatusCode.Created);
        return new CreatedAccount(json["data"]!["id"]!.GetValue<long>(), json["key"]!.GetValue<string>());
    }

    public static async Task<JsonObject> AddCreditsAsync(this HttpClient admin, long accountId, decimal amount, string kind = "top_up")
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/admin/accounts/{accountId}/credits", new { amount, kind });
        return await ReadObjectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>GET /admin/ledger/audit: asserts every account's balance equals its ledger and no reservation is open.</summary>
    public static async Task<JsonObject> AssertLedgerBalancedAsync(this HttpClient admin, long accountId)
    {
        var audit = await admin.GetObjectAsync("/api/v1/admin/ledger/audit");
        Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());
        var account = audit["data"]!.AsArray().Single(a => a!["account_id"]!.GetValue<long>() == accountId)!.AsObject();
        Assert.Equal(0, account["open_reservations"]!.GetValue<int>());
        return account;
    }

    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await ReadObjectAsync(response, expected);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
