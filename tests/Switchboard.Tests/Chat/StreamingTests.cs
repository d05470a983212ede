using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Requests;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Chat;

public sealed class StreamingTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private static JsonObject StreamOn(string provider, JsonObject? script = null, bool includeUsage = false)
    {
        var body = ChatRequests.Body("test/multi", script, stream: true);
        body["provider"] = new JsonObject { ["only"] = new JsonArray(provider) };
        if (includeUsage)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        return body;
    }

    [Fact]
    public async Task Stream_relays_every_event_restamped_and_ends_with_one_usage_chunk_and_done()
    {
        var body = StreamOn("alpha", new JsonObject { ["content"] = "one two three" }, includeUsage: true);

        using var response = await Fixture.Client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        var chunks = messages.Chunks();
        Assert.All(chunks, c =>
        {
            Assert.Equal(id, c["id"]!.GetValue<string>());
            Assert.Equal("Alpha", c["provider"]!.GetValue<string>());
            Assert.Equal("test/multi", c["model"]!.GetValue<string>());
        });
        Assert.Equal("one two three", chunks.Text());
        Assert.Single(chunks, c => c["usage"] is not null);
        var last = chunks[^1];
        Assert.Empty(last["choices"]!.AsArray());
        Assert.Equal(3, last["usage"]!["completion_tokens"]!.GetValue<int>());
        var finish = chunks.Single(c => c["choices"]!.AsArray().Any(ch => ch!["finish_reason"] is JsonValue));
        Assert.Equal("stop", finish["choices"]![0]!["native_finish_reason"]!.GetValue<string>());
        Assert.True(messages[^1].IsDone);
    }

    [Fact]
    public async Task Usage_is_requested_upstream_and_sent_once_with_cost_even_when_the_client_did_not_ask()
    {
        var body = StreamOn("alpha");
        body["stream_options"] = new JsonObject { ["include_obfuscation"] = false };

        using var response = await Fixture.Client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        // OpenRouter always ends a stream with one usage chunk (empty choices) that carries the cost.
        var usage = Assert.Single(messages.Chunks(), c => c["usage"] is not null);
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.True(usage["usage"]!["cost"]!.GetValue<decimal>() > 0m);
        Assert.True(messages[^1].IsDone);
        var upstream = JsonNode.Parse((await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5))).Body)!;
        Assert.True(upstream["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.False(upstream["stream_options"]!["include_obfuscation"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Events_are_forwarded_as_they_arrive_not_buffered()
    {
        // The upstream pauses after the first token until the client has disconnected; if the gateway buffered,
        // the client would never see that first token.
        var body = StreamOn("alpha", new JsonObject { ["content"] = "first second", ["hang_after_events"] = 2 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await Fixture.Client.PostStreamAsync(body, cancel.Token);
        var seen = new List<JsonObject>();
        await foreach (var message in SseClient.ReadAsync(response, cancel.Token))
        {
            if (message.Data is null)
            {
                continue;
            }
            seen.Add(message.Json);
            if (seen.Text() == "first ")
            {
                break;
            }
        }

        Assert.Equal("first ", seen.Text());
        Assert.False(cancel.IsCancellationRequested);
    }

    [Fact]
    public async Task Tool_call_deltas_are_streamed_intact()
    {
        var arguments = """{"city":"Paris","units":"celsius","days":[1,2,3]}""";
        var script = JsonNode.Parse($$"""{"tool_calls":[{"name":"get_weather","arguments":{{JsonValue.Create(arguments).ToJsonString()}}},{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}]}""")!.AsObject();

        using var response = await Fixture.Client.PostStreamAsync(StreamOn("alpha", script));
        var chunks = (await SseClient.ReadAllAsync(response)).Chunks();

        var deltas = chunks.SelectMany(c => c["choices"]!.AsArray()).SelectMany(ch => ch!["delta"]?["tool_calls"]?.AsArray() ?? []).ToList();
        Assert.True(deltas.Count > 4, "arguments should arrive in several fragments");
        var byIndex = deltas.GroupBy(d => d!["index"]!.GetValue<int>()).OrderBy(g => g.Key).ToList();
        Assert.Equal(2, byIndex.Count);
        Assert.Equal("get_weather", byIndex[0].First()!["function"]!["name"]!.GetValue<string>());
        Assert.StartsWith("call_", byIndex[0].First()!["id"]!.GetValue<string>());
        Assert.Equal(arguments, string.Concat(byIndex[0].Select(d => d!["function"]!["arguments"]?.GetValue<string>())));
        Assert.Equal("""{"tz":"CET"}""", string.Concat(byIndex[1].Select(d => d!["function"]!["arguments"]?.GetValue<string>())));
        Assert.Contains(chunks, c => c["choices"]!.AsArray().Any(ch => ch!["finish_reason"]?.GetValue<string>() == "tool_calls"));
    }

    [Fact]
    public async Task Keep_alive_comments_flow_while_the_upstream_is_slow_to_answer()
    {
        await using var gateway = await GatewayFactory.StartAsync(GatewayFactory.PatientStreamingHeaders());
        using var client = gateway.CreateGatewayClient();
        var body = StreamOn("alpha", new JsonObject { ["latency_ms"] = 1300, ["content"] = "late" });

        using var response = await client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        var firstData = messages.FindIndex(m => m.Data is not null);
        Assert.Contains(messages.Take(firstData), m => m.Comment == "SWITCHBOARD PROCESSING");
        Assert.Equal("late", messages.Chunks().Text());
        Assert.True(messages[^1].IsDone);
    }

    [Fact]
    public async Task A_long_stream_outlives_the_idle_timeout_while_events_keep_coming()
    {
        // StreamIdle is 2 s in the test gateway; this stream lasts about 3 s with a 100 ms gap between events.
        var words = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"w{i}"));
        var body = StreamOn("alpha", new JsonObject { ["content"] = words, ["chunk_delay_ms"] = 100 });

        using var response = await Fixture.Client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        Assert.Equal(words, messages.Chunks().Text());
        Assert.True(messages[^1].IsDone);
    }

    [Fact]
    public async Task Client_disconnect_cancels_the_upstream_request()
    {
        var body = StreamOn("alpha", new JsonObject { ["content"] = "a b c d", ["hang_after_events"] = 2 });
        var response = await Fixture.Client.PostStreamAsync(body);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer) > 0);

        response.Dispose(); // the client goes away mid-generation

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()) && r.ClientAborted, TimeSpan.FromSeconds(10));
        Assert.True(upstream.ClientAborted);
    }

    [Fact]
    public async Task Concurrent_streams_do_not_mix()
    {
        var requests = Enumerable.Range(0, 24).Select(async i =>
        {
            var words = string.Join(' ', Enumerable.Range(0, 12).Select(w => $"s{i}w{w}"));
            var body = StreamOn(i % 2 == 0 ? "alpha" : "beta", new JsonObject { ["content"] = words, ["chunk_delay_ms"] = 5 }, includeUsage: true);
            using var response = await Fixture.Client.PostStreamAsync(body);
            var chunks = (await SseClient.ReadAllAsync(response)).Chunks();
            return (Expected: words, Text: chunks.Text(), Ids: chunks.Select(c => c["id"]!.GetValue<string>()).Distinct().Count());
        });

        var results = await Task.WhenAll(requests);

        Assert.All(results, r =>
        {
            Assert.Equal(r.Expected, r.Text);
            Assert.Equal(1, r.Ids);
        });
    }
}
