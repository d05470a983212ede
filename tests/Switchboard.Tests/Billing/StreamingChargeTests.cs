using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// Streams are charged from the final usage, and a stream that ends early for what was generated: the charge
/// booked always equals the cost the client was told, and the ledger stays balanced.
/// </summary>
public sealed class StreamingChargeTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFactory.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Full_stream_is_charged_the_cost_in_its_usage_chunk()
    {
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 12 }, stream: true);

        using var response = await client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        var usage = Assert.Single(messages.Chunks(), c => c["usage"] is not null)["usage"]!;
        var cost = usage["cost"]!.GetValue<decimal>();
        Assert.Equal(12, usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(BillingTestKit.Cost(usage), cost);
        await AssertChargedAsync(client, account.Id, Id(response), cost, cancelled: false);
    }

    [Fact]
    public async Task Stream_the_client_abandons_is_charged_for_the_text_it_received()
    {
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 200, ["chunk_delay_ms"] = 50 }, stream: true);

        string id;
        var received = "";
        using (var response = await client.PostStreamAsync(body))
        {
            id = Id(response);
            await foreach (var message in SseClient.ReadAsync(response))
            {
                received += message.Data is null ? "" : new[] { message.Json }.Text();
                if (received.Length >= 40)
                {
                    break; // leaving the loop disposes the stream: the client is gone
                }
            }
        }

        var record = await BillingTestKit.GenerationAsync(client, id);
        Assert.True(record["cancelled"]!.GetValue<bool>());
        Assert.True(record["tokens_estimated"]!.GetValue<bool>());
        var completion = record["tokens_completion"]!.GetValue<int>();
        Assert.InRange(completion, (received.Length + 3) / 4, 199); // at least what was received, less than the whole
        Assert.Equal(BillingTestKit.Cost(new JsonObject { ["prompt_tokens"] = record["tokens_prompt"]!.GetValue<int>(), ["completion_tokens"] = completion }),
            record["total_cost"]!.GetValue<decimal>());
        await AssertChargedAsync(client, account.Id, id, record["total_cost"]!.GetValue<decimal>(), cancelled: true);
    }

    [Fact]
    public async Task Stream_cut_by_the_upstream_is_charged_the_cost_in_its_error_chunk()
    {
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = ChatRequests.Body(BillingTestKit.Model, new JsonObject { ["tokens"] = 50, ["reset_after_events"] = 6 }, stream: true);

        using var response = await client.PostStreamAsync(body);
        var chunks = (await SseClient.ReadAllAsync(response)).Chunks();

        var last = chunks[^1];
        Assert.NotNull(last["error"]);
        var usage = last["usage"]!;
        var cost = usage["cost"]!.GetValue<decimal>();
        Assert.True(cost > 0m);
        Assert.Equal(BillingTestKit.Cost(usage), cost);
        Assert.True(usage["completion_tokens"]!.GetValue<int>() >= (chunks.Text().Length + 3) / 4);
        await AssertChargedAsync(client, account.Id, Id(response), cost, cancelled: false);
    }

    [Fact]
    public async Task Stream_that_falls_back_after_a_503_is_charged_once_at_the_serving_providers_price()
    {
        var (account, client, _) = await BillingTestKit.NewAccountAsync(_gateway, credits: 100m);
        var body = ChatRequests.Body("test/multi", new JsonObject
        {
            ["tokens"] = 9,
            ["providers"] = new JsonObject { ["alpha"] = new JsonObject { ["status"] = 503 } },
        }, stream: true);
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta"), ["allow_fallbacks"] = true };

        using var response = await client.PostStreamAsync(body);
        var chunks = (await SseClient.ReadAllAsync(response)).Chunks();

        var usageChunk = Assert.Single(chunks, c => c["usage"] is not null);
        Assert.Equal("Beta", usageChunk["provider"]!.GetValue<string>(), ignoreCase: true);
        var usage = usageChunk["usage"]!;
        var cost = usage["cost"]!.GetValue<decimal>();
        // beta: 2 and 4 USD per million tokens.
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() * 0.000002m + usage["completion_tokens"]!.GetValue<int>() * 0.000004m, cost);
        var record = await AssertChargedAsync(client, account.Id, Id(response), cost, cancelled: false);
        Assert.Equal(2, record["provider_responses"]!.AsArray().Count);
    }

    private static string Id(HttpResponseMessage response) => response.Headers.GetValues("X-Generation-Id").Single();

    /// <summary>The generation's record, the ledger (via /credits) and the audit all agree on <paramref name="cost"/>.</summary>
    private async Task<JsonObject> AssertChargedAsync(HttpClient client, long accountId, string id, decimal cost, bool cancelled)
    {
        var record = await BillingTestKit.GenerationAsync(client, id);
        Assert.Equal(cost, record["total_cost"]!.GetValue<decimal>());
        Assert.Equal(cancelled, record["cancelled"]!.GetValue<bool>());
        Assert.True(record["streamed"]!.GetValue<bool>());
        Assert.Equal(cost, await BillingTestKit.TotalUsageAsync(client));
        using var admin = _gateway.CreateGatewayClient(GatewayFactory.ManagementKey);
        var audit = await admin.AssertLedgerBalancedAsync(accountId);
        Assert.Equal(100m - cost, audit["balance"]!.GetValue<decimal>());
        return record;
    }
}
