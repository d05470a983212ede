using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Messages;

/// <summary>
/// Anthropic's Messages API through the gateway, over real HTTP to the simulator: natively to Claude endpoints
/// (the client's body arrives as sent), and translated to OpenAI-compatible and Gemini endpoints, each answering in
/// Anthropic's shapes and events.
/// </summary>
public sealed class MessagesApiTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string> Providers() => new() { "alpha", "claude", "gem" };

    private static JsonObject Request(string provider, JsonObject script, bool stream = false, int maxTokens = 256)
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["max_tokens"] = maxTokens,
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"Hello [{marker}] <simulator>{script.ToJsonString()}</simulator>" }),
            }),
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
        }
        return body;
    }

    private HttpClient AnthropicClient(string? key = null)
    {
        var client = Fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key ?? Fixture.Gateway.InferenceKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<List<JsonObject>> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<JsonObject>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (data is null)
            {
                continue;
            }
            var json = JsonNode.Parse(data)!.AsObject();
            Assert.Equal(name, json["type"]!.GetValue<string>()); // every event is named for its type
            events.Add(json);
        }
        return events;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_message_comes_back_in_Anthropics_shape_with_our_id_and_the_model(string provider)
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/api/v1/messages", Json(Request(provider, new JsonObject { ["content"] = "Hi there" })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await response.JsonAsync();
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("assistant", message["role"]!.GetValue<string>());
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), message["id"]!.GetValue<string>());
        Assert.Equal("test/tri", message["model"]!.GetValue<string>());
        Assert.Equal("Hi there", string.Concat(message["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "text").Select(b => b!["text"]!.GetValue<string>())));
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.True(message["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(2, message["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stream_is_Anthropics_event_sequence_and_ends_with_message_stop(string provider)
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/v1/messages?beta=true", Json(Request(provider, new JsonObject { ["content"] = "one two three" }, stream: true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await EventsAsync(response);
        var types = events.Select(e => e["type"]!.GetValue<string>()).Where(t => t != "ping").ToList();
        Assert.Equal("message_start", types[0]);
        Assert.Equal(["message_delta", "message_stop"], types[^2..]);
        Assert.Equal("content_block_start", types[1]);
        Assert.Contains("content_block_stop", types);
        var start = events[0]["message"]!;
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), start["id"]!.GetValue<string>());
        Assert.Equal("test/tri", start["model"]!.GetValue<string>());
        var text = string.Concat(events.Where(e => e["type"]!.GetValue<string>() == "content_block_delta")
            .Select(e => e["delta"]!["text"]?.GetValue<string>()));
        Assert.Equal("one two three", text);
        var delta = events.Single(e => e["type"]!.GetValue<string>() == "message_delta");
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(3, delta["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Tool_use_comes_back_as_a_tool_use_block_and_a_tool_result_turn_completes(string provider)
    {
        var body = Request(provider, new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Paris"}""" }) });
        body["tools"] = JsonNode.Parse("""[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""");
        using var client = AnthropicClient();

        using var first = await client.PostAsync("/api/v1/messages", Json(body));
        var message = await first.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
        var toolUse = message["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("get_weather", toolUse["name"]!.GetValue<string>());
        Assert.Equal("Paris", toolUse["input"]!["city"]!.GetValue<string>());

        var messages = body["messages"]!.AsArray();
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = message["content"]!.DeepClone() });
        messages.Add(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = toolUse["id"]!.GetValue<string>(), ["content"] = "18 C and sunny" },
                new JsonObject { ["type"] = "text", ["text"] = "Thanks <simulator>{\"content\":\"It is sunny.\"}</simulator>" }),
        });
        using var second = await client.PostAsync("/api/v1/messages", Json(body));
        var answer = await second.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("It is sunny.", answer["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "text")!["text"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hitting_max_tokens_stops_with_max_tokens(string provider)
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/api/v1/messages", Json(Request(provider, new JsonObject { ["tokens"] = 20 }, maxTokens: 3)));

        var message = await response.JsonAsync();
        Assert.Equal("max_tokens", message["stop_reason"]!.GetValue<string>());
        Assert.Equal(3, message["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Ping_events_flow_while_the_upstream_is_slow_to_answer(string provider)
    {
        // The test gateway's keep-alive interval is 500 ms.
        await using var gateway = await GatewayFactory.StartAsync(GatewayFactory.PatientStreamingHeaders());
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", gateway.InferenceKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        using var response = await client.PostAsync("/api/v1/messages", Json(Request(provider, new JsonObject { ["latency_ms"] = 1300, ["content"] = "late" }, stream: true)));

        var types = (await EventsAsync(response)).Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal("ping", types[0]);
        Assert.Equal("message_start", types.First(t => t != "ping"));
        Assert.Equal("message_stop", types[^1]);
    }

    [Fact]
    public async Task A_Claude_endpoint_receives_the_clients_body_as_sent_minus_the_gateways_fields()
    {
        var body = Request("claude", new JsonObject { ["content"] = "cached" });
        body["system"] = JsonNode.Parse("""[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}]""");
        body["metadata"] = new JsonObject { ["user_id"] = "user-42" };
        body["models"] = new JsonArray("test/tri");
        using var client = AnthropicClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = Json(body) };
        request.Headers.Add("anthropic-beta", "prompt-caching-2024-07-31");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var marker = body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>();
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker[..40], StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        var sent = JsonNode.Parse(upstream.Body)!.AsObject();
        Assert.Equal("ephemeral", sent["system"]![0]!["cache_control"]!["type"]!.GetValue<string>());
        Assert.Equal("user-42", sent["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Null(sent["provider"]);
        Assert.Null(sent["models"]);
        Assert.Equal(body["messages"]!.ToJsonString(), sent["messages"]!.ToJsonString());
        Assert.Equal("prompt-caching-2024-07-31", upstream.Headers["anthropic-beta"]);
    }

    [Fact]
    public async Task Errors_take_Anthropics_shape_with_the_status_its_SDK_maps()
    {
        using var wrongKey = AnthropicClient("sk-sb-v1-not-a-key");
        using var unauthorized = await wrongKey.PostAsync("/api/v1/messages", Json(Request("alpha", new JsonObject())));
        await AssertAnthropicErrorAsync(unauthorized, HttpStatusCode.Unauthorized, "authentication_error");

        using var client = AnthropicClient();
        var noLimit = Request("alpha", new JsonObject());
        noLimit.Remove("max_tokens");
        using var invalid = await client.PostAsync("/api/v1/messages", Json(noLimit));
        await AssertAnthropicErrorAsync(invalid, HttpStatusCode.BadRequest, "invalid_request_error");

        using var limited = await client.PostAsync("/api/v1/messages", Json(Request("claude", new JsonObject { ["status"] = 429 })));
        await AssertAnthropicErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limit_error");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failure_after_the_first_event_ends_the_stream_with_an_error_event(string provider)
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/api/v1/messages", Json(Request(provider, new JsonObject { ["content"] = "one two three four five six", ["error_event_after"] = 4 }, stream: true)));

        var events = await EventsAsync(response);
        Assert.Equal("error", events[^1]["type"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>() == "message_stop");
        Assert.Contains(events, e => e["type"]!.GetValue<string>() == "content_block_delta");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_client_that_leaves_mid_stream_cancels_the_upstream_and_is_charged_for_what_it_received(string provider)
    {
        // About 20 s of generation: long enough that a loaded CI machine notices the client leaving before the provider
        // ends on its own (200 tokens, 2 s, once did not); the test ends as soon as the upstream call is cancelled.
        var body = Request(provider, new JsonObject { ["tokens"] = 2000, ["chunk_delay_ms"] = 30 }, stream: true, maxTokens: 4096);
        var marker = body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>()[..40];
        string id;
        var received = 0;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = Json(body) })
        using (var response = await Fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            id = response.Headers.GetValues("X-Generation-Id").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (received < 40 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonNode.Parse(line[6..])!["delta"]?["text"] is { } text)
                {
                    received += text.GetValue<string>().Length;
                }
            }
        } // the client goes away mid-generation

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal) && r.ClientAborted, TimeSpan.FromSeconds(10));
        Assert.True(upstream.ClientAborted);
        var record = await Billing.BillingTestKit.GenerationAsync(Fixture.Client, id);
        Assert.True(record["cancelled"]!.GetValue<bool>());
        Assert.Equal("messages", record["api"]!.GetValue<string>());
        Assert.InRange(record["tokens_completion"]!.GetValue<int>(), (received + 3) / 4, 1999); // what was received, not the whole
        Assert.True(record["total_cost"]!.GetValue<decimal>() > 0m);
    }

    [Fact]
    public async Task Bearer_auth_works_too_and_the_generation_is_charged_and_recorded_as_a_messages_request()
    {
        using var client = Fixture.Gateway.CreateGatewayClient();
        using var response = await client.PostAsync("/api/v1/messages", Json(Request("gem", new JsonObject { ["content"] = "paid" })));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        using var generation = await client.GetAsync($"/api/v1/generation?id={id}");
        var record = (await generation.JsonAsync())["data"]!;
        Assert.True(record["total_cost"]!.GetValue<decimal>() > 0m);
        Assert.Equal("messages", record["api"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Count_tokens_answers_for_every_model_with_the_providers_count_where_it_has_one(string provider)
    {
        using var client = AnthropicClient();
        var body = Request(provider, new JsonObject());
        body.Remove("max_tokens");
        using var response = await client.PostAsync("/v1/messages/count_tokens?beta=true", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.JsonAsync())["input_tokens"]!.GetValue<int>() > 5);
        Assert.Equal(provider == "claude" ? "provider" : "tokenizer", response.Headers.GetValues("X-Switchboard-Token-Count").Single());
    }

    [Fact]
    public async Task Count_tokens_on_a_Claude_endpoint_is_Anthropics_count_of_the_body_without_the_generation_fields()
    {
        // A client may count the very body it generates with: max_tokens, stream and temperature come along.
        var body = Request("claude", new JsonObject());
        body["stream"] = false;
        body["temperature"] = 0.5;
        body["system"] = "Be brief.";
        using var client = AnthropicClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages/count_tokens") { Content = Json(body) };
        request.Headers.Add("anthropic-beta", "token-counting-2024-11-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider", response.Headers.GetValues("X-Switchboard-Token-Count").Single());
        var text = body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>();
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(
            r => r.Path.EndsWith("/messages/count_tokens", StringComparison.Ordinal) && r.Body.Contains(text[..40], StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
        // The simulator counts UTF-8 bytes of the prompt's text / 4: a number no tokenizer would give.
        Assert.Equal(Encoding.UTF8.GetByteCount(text + "Be brief.") / 4, (await response.JsonAsync())["input_tokens"]!.GetValue<int>());
        Assert.Equal("/claude/v1/messages/count_tokens", upstream.Path);
        var sent = JsonNode.Parse(upstream.Body)!.AsObject();
        Assert.Equal("claude-model", sent["model"]!.GetValue<string>());
        foreach (var removed in (string[])["provider", "max_tokens", "stream", "temperature"])
        {
            Assert.Null(sent[removed]);
        }
        Assert.Equal(body["messages"]!.ToJsonString(), sent["messages"]!.ToJsonString());
        Assert.Equal("key-claude", upstream.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", upstream.Headers["anthropic-version"]);
        Assert.Equal("token-counting-2024-11-01", upstream.Headers["anthropic-beta"]);
    }

    [Theory]
    [InlineData("""{"status":500}""")]
    [InlineData("""{"status":429}""")]
    [InlineData("""{"malformed_after_events":0}""")]
    [InlineData("""{"hang":true}""")] // the test gateway's non-streaming timeout (3 s) bounds the wait
    public async Task Count_tokens_falls_back_to_the_tokenizer_when_the_providers_count_fails(string script)
    {
        var body = Request("claude", JsonNode.Parse(script)!.AsObject());
        body.Remove("max_tokens");
        using var client = AnthropicClient();

        using var response = await client.PostAsync("/api/v1/messages/count_tokens", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tokenizer", response.Headers.GetValues("X-Switchboard-Token-Count").Single());
        Assert.True((await response.JsonAsync())["input_tokens"]!.GetValue<int>() > 5);
        var text = body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>();
        await Fixture.Simulator.Requests.WaitForAsync(
            r => r.Path.EndsWith("/messages/count_tokens", StringComparison.Ordinal) && r.Body.Contains(text[..40], StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
    }

    private static async Task AssertAnthropicErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(type, error["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["error"]!["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["request_id"]!.GetValue<string>()));
    }
}
