using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The journal's bound (<c>Billing:JournalCapacity</c>): answered generations whose records and money the store has
/// not yet taken wait in memory, at most that many, before new requests wait for room and then get 503. Only those
/// count; generations still running take no room.
/// </summary>
public sealed class JournalBoundTests
{
    [Fact]
    public async Task A_stalled_store_fills_the_journal_to_its_bound_then_new_requests_get_503_until_it_answers()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Billing:JournalCapacity"] = "3",
            ["Switchboard:Billing:LeaseTimeout"] = "00:00:01",
        });
        using var client = gateway.CreateGatewayClient();

        await using (var stall = await StoreStall.AfterOneRequestAsync(gateway, client))
        {
            for (var i = 0; i < 3; i++)
            {
                using var answered = await client.PostChatAsync(ChatRequests.Body("test/multi"));
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            }

            using var refused = await client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            var error = (await refused.JsonAsync())["error"]!;
            Assert.Equal(503, error["code"]!.GetValue<int>());
            Assert.Equal("store_unavailable", error["metadata"]!["error_type"]!.GetValue<string>());
        }

        // The store answers again: the journal writes what waited, and requests are taken again.
        using var after = await client.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        using var key = await client.GetAsync("/api/v1/key"); // reports money, so it waits for the journal first
        Assert.Equal(HttpStatusCode.OK, key.StatusCode);
        var store = StoreReader.Sqlite(gateway.DataDirectory);
        Assert.Equal(5, await store.CountAsync("SELECT COUNT(*) FROM generations"));
        Assert.Equal(5, await store.CountAsync("""SELECT COUNT(*) FROM generations WHERE "Status" = 200"""));
    }

    [Fact]
    public async Task Generations_still_running_take_no_room_in_the_journal_however_many_there_are()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Billing:JournalCapacity"] = "2",
            ["Switchboard:Billing:LeaseTimeout"] = "00:00:01",
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:30",
        });
        using var client = gateway.CreateGatewayClient();

        // Six at once, three times the bound, each held upstream longer than a request waits for room.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => client.PostChatAsync(ChatRequests.Body("test/multi", new JsonObject { ["latency_ms"] = 2000 }))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
