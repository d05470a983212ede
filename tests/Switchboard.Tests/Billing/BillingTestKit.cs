using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Prices and reservation sizes as docs/billing.md states them, for model <c>test/billed</c> (one endpoint,
/// alpha: 1000 USD per million prompt tokens, 2000 per million completion tokens: 0.001 and 0.002 per token).
/// </summary>
internal static class BillingTestKit
{
    public const string Model = "test/billed";
    public const decimal PromptPrice = 0.001m;
    public const decimal CompletionPrice = 0.002m;

    /// <summary>The hold for a request body: ceil(UTF-8 bytes / 4) prompt tokens plus max_tokens, at list price.</summary>
    public static decimal Hold(JsonObject body) =>
        (Encoding.UTF8.GetByteCount(body.ToJsonString()) + 3) / 4 * PromptPrice + body["max_tokens"]!.GetValue<int>() * CompletionPrice;

    public static decimal Cost(JsonNode usage) =>
        usage["prompt_tokens"]!.GetValue<int>() * PromptPrice + usage["completion_tokens"]!.GetValue<int>() * CompletionPrice;

    /// <summary>A fresh account with <paramref name="credits"/> USD and an inference key; returns the key's client.</summary>
    public static async Task<(AccountClient.CreatedAccount Account, HttpClient Inference, HttpClient Management)> NewAccountAsync(
        GatewayFactory gateway, decimal credits, object? keySpec = null)
    {
        using var admin = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var account = await admin.CreateAccountAsync($"billing-{Guid.NewGuid():n}", credits);
        var management = gateway.CreateGatewayClient(account.ManagementKey);
        var key = await management.CreateKeyAsync(keySpec ?? new { name = "inference" });
        return (account, gateway.CreateGatewayClient(key.Key), management);
    }

    public static async Task<decimal> TotalUsageAsync(HttpClient client) =>
        (await client.GetObjectAsync("/api/v1/credits"))["data"]!["total_usage"]!.GetValue<decimal>();

    /// <summary>The generation record; the gateway answers from memory until it is written, so a finished request is always found.</summary>
    public static async Task<JsonObject> GenerationAsync(HttpClient client, string id)
    {
        // A request the client abandoned is still being settled by the gateway when the client moves on.
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync($"/api/v1/generation?id={id}");
            if (response.StatusCode != HttpStatusCode.NotFound || attempt == 100)
            {
                return (await AccountClient.ReadObjectAsync(response, HttpStatusCode.OK))["data"]!.AsObject();
            }
            await Task.Delay(50);
        }
    }
}
