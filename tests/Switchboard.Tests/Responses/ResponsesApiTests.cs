using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Responses;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Responses;

/// <summary>
/// OpenAI's Responses API through the gateway, over real HTTP to the simulator, translated to each provider protocol
/// (OpenAI-compatible <c>alpha</c>, Anthropic <c>claude</c>, Gemini <c>gem</c>) and answered in Responses' shapes and
/// events.
/// </summary>
public sealed class ResponsesApiTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string> Providers() => new() { "alpha", "claude", "gem" };

    private static JsonObject Request(string provider, JsonObject script, bool stream = false)
    {
        var marker = Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["input"] = $"Hello [{marker}] <simulator>{script.ToJsonString()}</simulator>",
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
        }
        return body;
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode body, string path = "/api/v1/responses") => Fixture.Client.PostChatAsync(body, path);

    /// <summary>The events in order (comments skipped), each named for its type and numbered from 0 without a gap.</summary>
    internal static async Task<List<JsonObject>> EventsAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<JsonObject>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..];
            if (data is null)
            {
                Assert.All(lines, l => Assert.StartsWith(":", l)); // only comments between events
                continue;
            }
            var json = JsonNode.Parse(data)!.AsObject();
            Assert.Equal(name, json["type"]!.GetValue<string>());
            Assert.Equal(events.Count, json["sequence_number"]!.GetValue<int>());
            events.Add(json);
        }
        return events;
    }

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    private static string OutputText(JsonNode response) => string.Concat(response["output"]!.AsArray()
        .Where(i => i!["type"]!.GetValue<string>() == "message")
        .SelectMany(i => i!["content"]!.AsArray()).Select(c => c!["text"]!.GetValue<string>()));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_string_input_comes_back_as_a_response_with_our_id_the_model_and_priced_usage(string provider)
    {
        using var response = await PostAsync(Request(provider, new JsonObject { ["content"] = "Hi there" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("response", body["object"]!.GetValue<string>());
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), body["id"]!.GetValue<string>());
        Assert.Equal("test/tri", body["model"]!.GetValue<string>());
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        Assert.Null(body["error"]);
        Assert.Equal("Hi there", OutputText(body));
        var message = body["output"]!.AsArray().Single()!;
        Assert.Equal("assistant", message["role"]!.GetValue<string>());
        Assert.Equal("completed", message["status"]!.GetValue<string>());
        Assert.True(body["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(2, body["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.True(body["usage"]!["cost"]!.GetValue<decimal>() > 0m);
        Assert.False(body["store"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stream_is_the_typed_event_sequence_numbered_in_order_and_ends_completed_with_usage(string provider)
    {
        using var response = await PostAsync(Request(provider, new JsonObject { ["content"] = "one two three" }, stream: true), "/v1/responses");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await EventsAsync(response);
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"],
            events.Take(4).Select(Type));
        Assert.Equal(
            ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"],
            events.TakeLast(4).Select(Type));
        Assert.Equal("one two three", string.Concat(events.Where(e => Type(e) == "response.output_text.delta").Select(e => e["delta"]!.GetValue<string>())));
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        Assert.Equal(id, events[0]["response"]!["id"]!.GetValue<string>());
        var completed = events[^1]["response"]!;
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal("one two three", OutputText(completed));
        Assert.Equal(3, completed["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.True(completed["usage"]!["cost"]!.GetValue<decimal>() > 0m);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_function_call_round_trip_completes_with_instructions_and_items(string provider)
    {
        var body = Request(provider, new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Paris"}""" }) });
        var question = body["input"]!.GetValue<string>();
        body["instructions"] = "Use the tools.";
        body["input"] = new JsonArray(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = question }) });
        body["tools"] = JsonNode.Parse("""[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""");

        using var first = await PostAsync(body);
        var answer = await first.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var call = answer["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "function_call")!;
        Assert.Equal("get_weather", call["name"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(call["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>());
        Assert.Equal("Use the tools.", answer["instructions"]!.GetValue<string>());
        Assert.Equal("get_weather", answer["tools"]![0]!["name"]!.GetValue<string>());

        var items = body["input"]!.AsArray();
        foreach (var item in answer["output"]!.AsArray())
        {
            items.Add(item!.DeepClone());
        }
        items.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = call["call_id"]!.GetValue<string>(), ["output"] = "18 C and sunny" });
        items.Add(new JsonObject { ["role"] = "user", ["content"] = "Thanks <simulator>{\"content\":\"It is sunny.\"}</simulator>" });
        using var second = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("It is sunny.", OutputText(await second.JsonAsync()));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reasoning_before_a_function_call_goes_back_with_the_call_in_the_next_turn(string provider)
    {
        var body = Request(provider, new JsonObject
        {
            ["reasoning"] = "I should look it up.",
            ["tool_calls"] = new JsonArray(new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Paris"}""" }),
        });
        body["reasoning"] = new JsonObject { ["effort"] = "low" };
        body["max_output_tokens"] = 4000;
        body["tools"] = JsonNode.Parse("""[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""");
        var question = body["input"]!.GetValue<string>();
        body["input"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question });

        using var first = await PostAsync(body);
        var answer = await first.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["reasoning", "function_call"], answer["output"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()));

        var items = body["input"]!.AsArray();
        foreach (var item in answer["output"]!.AsArray())
        {
            items.Add(item!.DeepClone());
        }
        var call = answer["output"]![1]!;
        items.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = call["call_id"]!.GetValue<string>(), ["output"] = "18 C" });
        var marker = Guid.NewGuid().ToString("N");
        items.Add(new JsonObject { ["role"] = "user", ["content"] = $"So? {marker} <simulator>{{\"content\":\"Sunny.\"}}</simulator>" });
        using var second = await PostAsync(body);

        Assert.True(second.StatusCode == HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
        Assert.Equal("Sunny.", OutputText(await second.JsonAsync()));
        if (provider == "claude")
        {
            // Claude refuses a tool-use turn whose thinking lost its signature: the one it issued goes back, whole.
            Assert.StartsWith(ResponsesReasoningEnvelope.Prefix, answer["output"]![0]!["encrypted_content"]!.GetValue<string>());
            var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var assistant = JsonNode.Parse(upstream.Body)!["messages"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "assistant")!;
            var thinking = assistant["content"]!.AsArray()[0]!;
            Assert.Equal("thinking", thinking["type"]!.GetValue<string>());
            Assert.Equal("I should look it up.", thinking["thinking"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(thinking["signature"]!.GetValue<string>()), "the signature Claude issued comes back");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_forged_reasoning_envelope_of_wrongly_typed_entries_is_never_a_server_error(string provider)
    {
        // Anything a client puts in the envelope reaches the provider's translation as reasoning_details entries.
        var entries = """[{"type":"reasoning.text","text":5,"signature":{"a":1},"format":"anthropic-claude-v1","index":"x"},{"type":7,"data":[1]},{}]""";
        var envelope = ResponsesReasoningEnvelope.Prefix + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(entries)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var body = Request(provider, new JsonObject { ["content"] = "Fine." });
        var question = body["input"]!.GetValue<string>();
        body["input"] = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "Weather?" },
            new JsonObject { ["type"] = "reasoning", ["summary"] = new JsonArray(), ["encrypted_content"] = envelope },
            new JsonObject { ["role"] = "assistant", ["content"] = "Let me see." },
            new JsonObject { ["role"] = "user", ["content"] = question });

        using var response = await PostAsync(body);

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_streamed_function_call_is_an_output_item_with_its_arguments(string provider)
    {
        var body = Request(provider, new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Paris"}""" }) }, stream: true);
        body["tools"] = JsonNode.Parse("""[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""");

        using var response = await PostAsync(body);

        var events = await EventsAsync(response);
        var done = events.Single(e => Type(e) == "response.function_call_arguments.done");
        Assert.Equal("""{"city":"Paris"}""", done["arguments"]!.GetValue<string>());
        Assert.Equal("get_weather", done["name"]!.GetValue<string>());
        Assert.Equal(
            done["arguments"]!.GetValue<string>(),
            string.Concat(events.Where(e => Type(e) == "response.function_call_arguments.delta").Select(e => e["delta"]!.GetValue<string>())));
        var item = events[^1]["response"]!["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "function_call")!;
        Assert.Equal(done["item_id"]!.GetValue<string>(), item["id"]!.GetValue<string>());
        Assert.StartsWith(provider == "alpha" ? "call_" : "", item["call_id"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_json_schema_text_format_answers_with_the_json(string provider)
    {
        var body = Request(provider, new JsonObject { ["json"] = new JsonObject { ["answer"] = 42 } });
        body["text"] = JsonNode.Parse("""{"format":{"type":"json_schema","name":"answer","schema":{"type":"object","properties":{"answer":{"type":"integer"}},"required":["answer"]},"strict":true}}""");

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.JsonAsync();
        Assert.Equal(42, JsonNode.Parse(OutputText(answer))!["answer"]!.GetValue<int>());
        Assert.Equal("json_schema", answer["text"]!["format"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reasoning_comes_back_as_a_reasoning_item_and_as_summary_events(string provider)
    {
        var script = new JsonObject { ["reasoning"] = "Let me think it over.", ["content"] = "Done." };
        var body = Request(provider, script);
        body["reasoning"] = new JsonObject { ["effort"] = "low", ["summary"] = "auto" };
        body["max_output_tokens"] = 4000;
        using var response = await PostAsync(body);
        var answer = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reasoning = answer["output"]![0]!;
        Assert.Equal("reasoning", reasoning["type"]!.GetValue<string>());
        Assert.Equal("Let me think it over.", reasoning["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Done.", OutputText(answer));

        var streamed = Request(provider, script, stream: true);
        streamed["reasoning"] = body["reasoning"]!.DeepClone();
        streamed["max_output_tokens"] = 4000;
        using var stream = await PostAsync(streamed);
        var events = await EventsAsync(stream);
        Assert.Equal("Let me think it over.", events.Single(e => Type(e) == "response.reasoning_summary_text.done")["text"]!.GetValue<string>());
        Assert.True(
            events.FindIndex(e => Type(e) == "response.reasoning_summary_part.done") < events.FindIndex(e => Type(e) == "response.output_text.delta"),
            "reasoning comes before the answer");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hitting_max_output_tokens_is_an_incomplete_response(string provider)
    {
        var body = Request(provider, new JsonObject { ["tokens"] = 20 });
        body["max_output_tokens"] = 3;
        using var response = await PostAsync(body);
        var answer = await response.JsonAsync();
        Assert.Equal("incomplete", answer["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", answer["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal(3, answer["max_output_tokens"]!.GetValue<int>());

        var streamed = Request(provider, new JsonObject { ["tokens"] = 20 }, stream: true);
        streamed["max_output_tokens"] = 3;
        using var stream = await PostAsync(streamed);
        var last = (await EventsAsync(stream))[^1];
        Assert.Equal("response.incomplete", Type(last));
        Assert.Equal("max_output_tokens", last["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failure_after_the_first_event_ends_the_stream_with_response_failed(string provider)
    {
        using var response = await PostAsync(Request(provider, new JsonObject { ["content"] = "one two three four five six", ["error_event_after"] = 4 }, stream: true));

        var events = await EventsAsync(response);
        Assert.Equal("response.failed", Type(events[^1]));
        Assert.Equal("failed", events[^1]["response"]!["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(events[^1]["response"]!["error"]!["message"]!.GetValue<string>()));
        Assert.DoesNotContain(events, e => Type(e) == "response.completed");
        Assert.Contains(events, e => Type(e) == "response.output_text.delta");
    }

    [Fact]
    public async Task A_failure_before_the_first_event_is_an_ordinary_error_response()
    {
        using var response = await PostAsync(Request("alpha", new JsonObject { ["status"] = 500 }, stream: true));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal(502, error["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Keep_alive_comments_flow_while_the_upstream_is_slow_to_answer(string provider)
    {
        // The test gateway's keep-alive interval is 500 ms.
        await using var gateway = await GatewayFactory.StartAsync(GatewayFactory.PatientStreamingHeaders());
        using var client = gateway.CreateGatewayClient();
        using var response = await client.PostChatAsync(Request(provider, new JsonObject { ["latency_ms"] = 1300, ["content"] = "late" }, stream: true), "/api/v1/responses");

        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(": ", text);
        Assert.Contains("event: response.completed", text);
    }

    [Fact]
    public async Task Errors_take_the_OpenAI_shape_with_the_field_named()
    {
        using var anonymous = Fixture.Gateway.CreateGatewayClient("sk-sb-v1-not-a-key");
        using var unauthorized = await anonymous.PostChatAsync(Request("alpha", new JsonObject()), "/api/v1/responses");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(401, (await unauthorized.JsonAsync())["error"]!["code"]!.GetValue<int>());

        var wrong = Request("alpha", new JsonObject());
        wrong["tools"] = JsonNode.Parse("""[{"type":"code_interpreter","container":{"type":"auto"}}]""");
        using var invalid = await PostAsync(wrong);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var error = (await invalid.JsonAsync())["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Contains("code_interpreter", error["message"]!.GetValue<string>());
        Assert.Equal("tools[0].type", error["metadata"]!["param"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("store", "true")]
    [InlineData("previous_response_id", "\"resp_123\"")]
    [InlineData("background", "true")]
    public async Task State_the_gateway_does_not_keep_is_refused_as_stateless(string field, string value)
    {
        var body = Request("alpha", new JsonObject());
        body[field] = JsonNode.Parse(value);

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Contains("stateless", error["message"]!.GetValue<string>());
        Assert.Equal(field, error["metadata"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Store_false_is_accepted()
    {
        var body = Request("alpha", new JsonObject { ["content"] = "ok" });
        body["store"] = false;
        using var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_enough_credit_the_request_is_refused_with_402_before_any_upstream_call()
    {
        var (_, client, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, credits: 0.000001m);
        using (management)
        using (client)
        {
            var body = Request("alpha", new JsonObject());
            body["max_output_tokens"] = 100_000;
            using var response = await client.PostChatAsync(body, "/api/v1/responses");
            Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
            Assert.Equal(402, (await response.JsonAsync())["error"]!["code"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task The_generation_is_charged_and_recorded_as_a_responses_request()
    {
        using var response = await PostAsync(Request("gem", new JsonObject { ["content"] = "paid" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.JsonAsync())["usage"]!;
        var record = await BillingTestKit.GenerationAsync(Fixture.Client, response.Headers.GetValues("X-Generation-Id").Single());
        Assert.Equal("responses", record["api"]!.GetValue<string>());
        Assert.Equal(usage["cost"]!.GetValue<decimal>(), record["total_cost"]!.GetValue<decimal>());
        Assert.Equal(usage["input_tokens"]!.GetValue<int>(), record["tokens_prompt"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_dead_endpoint_falls_back_to_the_next()
    {
        var body = Request("alpha", new JsonObject { ["content"] = "fell back" }, stream: true);
        body["model"] = "test/dead-first";
        body["provider"] = new JsonObject { ["order"] = new JsonArray("dead", "alpha") };

        using var response = await PostAsync(body);

        var events = await EventsAsync(response);
        Assert.Equal("response.completed", Type(events[^1]));
        Assert.Equal("fell back", OutputText(events[^1]["response"]!));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_client_that_leaves_mid_stream_cancels_the_upstream_and_is_charged_for_what_it_received(string provider)
    {
        // About 20 s of generation: long enough that a loaded CI machine notices the client leaving before the provider
        // ends on its own (200 tokens, 2 s, once did not); the test ends as soon as the upstream call is cancelled.
        var body = Request(provider, new JsonObject { ["tokens"] = 2000, ["chunk_delay_ms"] = 30 }, stream: true);
        var marker = body["input"]!.GetValue<string>()[..40];
        string id;
        var received = 0;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/responses") { Content = body.ToContent() })
        using (var response = await Fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            id = response.Headers.GetValues("X-Generation-Id").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (received < 40 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is { } data
                    && data["type"]!.GetValue<string>() == "response.output_text.delta")
                {
                    received += data["delta"]!.GetValue<string>().Length;
                }
            }
        } // the client goes away mid-generation

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal) && r.ClientAborted, TimeSpan.FromSeconds(10));
        Assert.True(upstream.ClientAborted);
        var record = await BillingTestKit.GenerationAsync(Fixture.Client, id);
        Assert.True(record["cancelled"]!.GetValue<bool>());
        Assert.Equal("responses", record["api"]!.GetValue<string>());
        Assert.InRange(record["tokens_completion"]!.GetValue<int>(), (received + 3) / 4, 1999); // what was received, not the whole
        Assert.True(record["total_cost"]!.GetValue<decimal>() > 0m);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Codex_CLIs_captured_requests_are_answered_on_every_protocol(string provider) =>
        await ReplayAsync(provider, "codex-request.json", "codex-tool-result-request.json");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_OpenAI_Agents_SDKs_captured_requests_are_answered_on_every_protocol(string provider) =>
        await ReplayAsync(provider, "agents-request.json", "agents-tool-result-request.json");

    /// <summary>
    /// A client's captured bodies (tests/clients/fixtures, recorded with capture-responses.mjs) as sent, pinned to the
    /// provider and with one user turn added that scripts the answer; each is answered in full.
    /// </summary>
    private async Task ReplayAsync(string provider, params string[] fixtures)
    {
        foreach (var fixture in fixtures)
        {
            var body = JsonNode.Parse(await File.ReadAllTextAsync(ResponsesRequestTranslatorTests.ClientFixture(fixture)))!.AsObject();
            body["provider"] = new JsonObject { ["only"] = new JsonArray(provider) };
            var items = body["input"]!.AsArray();
            items.Add(new JsonObject
            {
                ["type"] = "message",
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = $"[{Guid.NewGuid():N}] <simulator>{{\"content\":\"Client OK\"}}</simulator>" }),
            });

            using var response = await PostAsync(body);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{fixture}: {await response.Content.ReadAsStringAsync()}");
            JsonNode completed;
            if (body["stream"]?.GetValue<bool>() == true)
            {
                var events = await EventsAsync(response);
                Assert.Equal("response.completed", Type(events[^1]));
                completed = events[^1]["response"]!;
            }
            else
            {
                completed = await response.JsonAsync();
            }
            Assert.Equal("completed", completed["status"]!.GetValue<string>());
            Assert.Equal("Client OK", OutputText(completed));
        }
    }
}
