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

    /// <summary>
    /// The hold for a text-only request body, as docs/accounts.md states it: a prompt token per UTF-8 byte plus the
    /// template overhead, and max_tokens for each choice, at list price.
    /// </summary>
    public static decimal Hold(JsonObject body, decimal promptPrice = PromptPrice, decimal completionPrice = CompletionPrice) =>
        (Encoding.UTF8.GetByteCount(body.ToJsonString()) + Switchboard.Billing.PromptBound.FixedOverhead) * promptPrice
        + body["max_tokens"]!.GetValue<int>() * (body["n"]?.GetValue<int>() ?? 1) * completionPrice;

    /// <summary>
    /// A <see cref="Model"/> request that costs exactly <paramref name="cost"/> USD and whose hold is exactly that: the
    /// simulator is scripted to report the prompt at the hold's bound and the rest of the cost as completion tokens,
    /// with max_tokens allowing exactly those. Such a report is the most an honest provider can bill.
    /// </summary>
    public static JsonObject BodyCosting(decimal cost)
    {
        var budget = (int)(cost / PromptPrice);
        for (var pad = 0; pad < 1000; pad++)
        {
            for (var completion = 0; completion * 2 < budget; completion++)
            {
                var prompt = budget - completion * 2;
                var body = ChatRequests.Body(Model, new JsonObject { ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion } },
                    content: new string('x', pad));
                body["max_tokens"] = Math.Max(completion, 1);
                if (completion > 0 && Encoding.UTF8.GetByteCount(body.ToJsonString()) + Switchboard.Billing.PromptBound.FixedOverhead == prompt)
                {
                    return body;
                }
            }
        }
        throw new InvalidOperationException($"No request costs exactly {cost} USD with a hold of the same.");
    }

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
