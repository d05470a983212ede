using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Billing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Completions;

/// <summary>
/// OpenAI's legacy completions API through the gateway, over real HTTP to the simulator: the prompt goes to each
/// upstream protocol as a one-message chat request, and the answer comes back as <c>text_completion</c> objects,
/// whole or streamed.
/// </summary>
public sealed class CompletionsApiTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string> Providers() => new() { "alpha", "claude", "gem" };

    public static TheoryData<string, bool> ProvidersBothWays() => new()
    {
        { "alpha", false }, { "claude", false }, { "gem", false },
        { "alpha", true }, { "claude", true }, { "gem", true },
    };

    private static JsonObject Request(string provider, JsonObject script, bool stream = false)
    {
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["prompt"] = $"Say it [{Guid.NewGuid():N}] <simulator>{script.ToJsonString()}</simulator>",
            ["max_tokens"] = 256,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
        };
        if (stream)
        {
            body["stream"] = true;
        }
        return body;
    }

    private static string Marker(JsonObject body) => body["prompt"]!.GetValue<string>()[..42];

    /// <summary>The stream's data events, parsed, and whether it ended with <c>[DONE]</c>.</summary>
    private static async Task<(List<JsonObject> Events, bool Done)> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var events = new List<JsonObject>();
        var done = false;
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (!block.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.StartsWith(":", block); // only keep-alive comments besides data
                continue;
            }
            Assert.False(done, "an event after [DONE]");
            if (block == "data: [DONE]")
            {
                done = true;
                continue;
            }
            events.Add(JsonNode.Parse(block["data: ".Length..])!.AsObject());
        }
        return (events, done);
    }

    private static string Text(IEnumerable<JsonObject> events) =>
        string.Concat(events.SelectMany(e => e["choices"]!.AsArray()).Select(c => c!["text"]!.GetValue<string>()));

    private static async Task<(string Text, string? FinishReason, JsonObject? Usage)> CompleteAsync(HttpClient client, JsonObject body, bool stream)
    {
        using var response = await client.PostAsync("/api/v1/completions", body.ToContent());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (!stream)
        {
            var completion = await response.JsonAsync();
            var choice = completion["choices"]![0]!;
            return (choice["text"]!.GetValue<string>(), choice["finish_reason"]?.GetValue<string>(), completion["usage"]!.AsObject());
        }
        var (events, done) = await EventsAsync(response);
        Assert.True(done);
        var finish = events.SelectMany(e => e["choices"]!.AsArray()).Select(c => c!["finish_reason"]?.GetValue<string>()).LastOrDefault(f => f is not null);
        return (Text(events), finish, events[^1]["usage"]?.AsObject());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_completion_comes_back_as_a_text_completion_with_our_id_usage_and_cost(string provider)
    {
        using var response = await Fixture.Client.PostAsync("/api/v1/completions", Request(provider, new JsonObject { ["content"] = "Hi there" }).ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = await response.JsonAsync();
        Assert.Equal(response.Headers.GetValues("X-Generation-Id").Single(), completion["id"]!.GetValue<string>());
        Assert.StartsWith("gen-", completion["id"]!.GetValue<string>());
        Assert.Equal("text_completion", completion["object"]!.GetValue<string>());
        Assert.True(completion["created"]!.GetValue<long>() > 0);
        Assert.Equal("test/tri", completion["model"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(completion["provider"]!.GetValue<string>()));
        var choice = Assert.Single(completion["choices"]!.AsArray())!;
        Assert.Equal("Hi there", choice["text"]!.GetValue<string>());
        Assert.Equal(0, choice["index"]!.GetValue<int>());
        Assert.True(choice.AsObject().ContainsKey("logprobs"));
        Assert.Null(choice["logprobs"]);
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        var usage = completion["usage"]!;
        Assert.True(usage["prompt_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(2, usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + 2, usage["total_tokens"]!.GetValue<int>());
        Assert.True(usage["cost"]!.GetValue<decimal>() > 0m);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stream_is_text_completion_events_then_usage_then_done(string provider)
    {
        using var response = await Fixture.Client.PostAsync("/v1/completions", Request(provider, new JsonObject { ["content"] = "one two three" }, stream: true).ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (events, done) = await EventsAsync(response);
        Assert.True(done);
        var id = response.Headers.GetValues("X-Generation-Id").Single();
        Assert.All(events, e =>
        {
            Assert.Equal(id, e["id"]!.GetValue<string>());
            Assert.Equal("text_completion", e["object"]!.GetValue<string>());
            Assert.Equal("test/tri", e["model"]!.GetValue<string>());
            Assert.True(e["created"]!.GetValue<long>() > 0);
            Assert.All(e["choices"]!.AsArray(), c =>
            {
                Assert.Equal(0, c!["index"]!.GetValue<int>());
                Assert.Null(c["logprobs"]);
            });
        });
        Assert.Equal("one two three", Text(events));
        Assert.Equal("stop", events.SelectMany(e => e["choices"]!.AsArray()).Last()!["finish_reason"]!.GetValue<string>());
        var last = events[^1];
        Assert.Empty(last["choices"]!.AsArray());
        Assert.Equal(3, last["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.True(last["usage"]!["cost"]!.GetValue<decimal>() > 0m);
        Assert.Single(events, e => e["usage"] is not null);
    }

    [Fact]
    public async Task Keep_alive_comments_flow_while_the_upstream_is_slow_to_answer()
    {
        // The test gateway's keep-alive interval is 500 ms.
        await using var gateway = await GatewayFactory.StartAsync(GatewayFactory.PatientStreamingHeaders());
        using var client = gateway.CreateGatewayClient();
        using var response = await client.PostAsync("/api/v1/completions",
            Request("gem", new JsonObject { ["latency_ms"] = 1300, ["content"] = "late" }, stream: true).ToContent());

        var raw = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(": SWITCHBOARD PROCESSING\n\n", raw);
        Assert.EndsWith("data: [DONE]\n\n", raw);
        Assert.Contains("\"text\":\"late\"", raw, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProvidersBothWays))]
    public async Task Hitting_max_tokens_ends_with_length(string provider, bool stream)
    {
        var body = Request(provider, new JsonObject { ["tokens"] = 20 }, stream);
        body["max_tokens"] = 3;

        var (text, finish, usage) = await CompleteAsync(Fixture.Client, body, stream);

        Assert.Equal("length", finish);
        Assert.Equal(3, usage!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(3, text.TrimEnd().Split(' ').Length);
    }

    [Theory]
    [MemberData(nameof(ProvidersBothWays))]
    public async Task A_stop_sequence_cuts_the_text_and_ends_with_stop(string provider, bool stream)
    {
        var body = Request(provider, new JsonObject { ["content"] = "one two END three" }, stream);
        body["stop"] = new JsonArray("END");

        var (text, finish, _) = await CompleteAsync(Fixture.Client, body, stream);

        Assert.Equal("one two ", text);
        Assert.Equal("stop", finish);
    }

    [Fact]
    public async Task A_single_stop_string_and_a_prompt_array_of_one_work_too()
    {
        var body = Request("gem", new JsonObject { ["content"] = "alpha beta. gamma" });
        body["prompt"] = new JsonArray(body["prompt"]!.GetValue<string>());
        body["stop"] = ".";

        var (text, finish, _) = await CompleteAsync(Fixture.Client, body, stream: false);

        Assert.Equal("alpha beta", text);
        Assert.Equal("stop", finish);
    }

    [Theory]
    [InlineData("alpha", "\"n\":2")]
    [InlineData("gem", "\"candidateCount\":2")]
    public async Task N_reaches_the_provider_in_its_own_terms(string provider, string sent)
    {
        var body = Request(provider, new JsonObject { ["content"] = "many" });
        body["n"] = 2;
        body["temperature"] = 0.7;
        body["seed"] = 42;

        using var response = await Fixture.Client.PostAsync("/api/v1/completions", body.ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("many", (await response.JsonAsync())["choices"]![0]!["text"]!.GetValue<string>());
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(Marker(body), StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Contains(sent, upstream.Body.Replace(" ", ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_prompt_reaches_an_OpenAI_compatible_provider_as_one_user_message()
    {
        var body = Request("alpha", new JsonObject { ["content"] = "ok" });
        body["presence_penalty"] = 0.5;
        body["logit_bias"] = new JsonObject { ["50256"] = -100 };

        using var response = await Fixture.Client.PostAsync("/api/v1/completions", body.ToContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(Marker(body), StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        var sent = JsonNode.Parse(upstream.Body)!;
        var message = Assert.Single(sent["messages"]!.AsArray())!;
        Assert.Equal("user", message["role"]!.GetValue<string>());
        Assert.Equal(body["prompt"]!.GetValue<string>(), message["content"]!.GetValue<string>());
        Assert.Null(sent["prompt"]);
        Assert.Equal(0.5, sent["presence_penalty"]!.GetValue<double>());
        Assert.Equal(-100, sent["logit_bias"]!["50256"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"prompt":["a","b"]}""", "prompt", "2 prompts")]
    [InlineData("""{"prompt":[1,2,3]}""", "prompt", "token ids")]
    [InlineData("""{"prompt":[[1,2]]}""", "prompt", "token ids")]
    [InlineData("""{"prompt":[]}""", "prompt", "empty")]
    [InlineData("""{"prompt":42}""", "prompt", "not a number")]
    [InlineData("""{}""", "prompt", "required")]
    [InlineData("""{"prompt":"x","suffix":"end"}""", "suffix", "raw completion")]
    [InlineData("""{"prompt":"x","echo":true}""", "echo", "raw completion")]
    [InlineData("""{"prompt":"x","logprobs":2}""", "logprobs", "raw completion")]
    [InlineData("""{"prompt":"x","best_of":3}""", "best_of", "raw completion")]
    [InlineData("""{"prompt":"x","echo":"yes"}""", "echo", "boolean")]
    [InlineData("""{"prompt":"x","max_tokens":"16"}""", "max_tokens", "positive integer")]
    [InlineData("""{"prompt":"x","max_tokens":0}""", "max_tokens", "positive integer")]
    [InlineData("""{"prompt":"x","temperature":"hot"}""", "temperature", "number")]
    [InlineData("""{"prompt":"x","top_p":[1]}""", "top_p", "number")]
    [InlineData("""{"prompt":"x","frequency_penalty":true}""", "frequency_penalty", "number")]
    [InlineData("""{"prompt":"x","seed":1.5}""", "seed", "integer")]
    [InlineData("""{"prompt":"x","stop":7}""", "stop", "string")]
    [InlineData("""{"prompt":"x","stop":["a",1]}""", "stop", "string")]
    [InlineData("""{"prompt":"x","logit_bias":[]}""", "logit_bias", "object")]
    [InlineData("""{"prompt":"x","logit_bias":{"a":1}}""", "logit_bias", "token ids")]
    [InlineData("""{"prompt":"x","n":0}""", "n", "integer")]
    [InlineData("""{"prompt":"x","user":5}""", "user", "string")]
    [InlineData("""{"prompt":"x","stream":"yes"}""", "stream", "boolean")]
    [InlineData("""{"prompt":"x","stream_options":{"include_usage":"yes"}}""", "stream_options.include_usage", "boolean")]
    [InlineData("""{"prompt":"x","model":7}""", "model", "string")]
    [InlineData("""{"prompt":"x","models":"test/tri"}""", "models", "array")]
    public async Task Bad_requests_get_a_400_naming_the_field_in_OpenRouters_shape(string json, string field, string why)
    {
        var body = JsonNode.Parse(json)!.AsObject();
        body.TryAdd("model", "test/tri");

        using var response = await Fixture.Client.PostAsync("/api/v1/completions", body.ToContent());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        var message = error["message"]!.GetValue<string>();
        Assert.Contains(field.Split('.')[0], message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_charge_is_the_records_cost_and_the_record_says_completions(bool stream)
    {
        var (_, inference, management) = await BillingTestKit.NewAccountAsync(Fixture.Gateway, 10m);
        using (inference)
        using (management)
        {
            using var response = await inference.PostAsync("/api/v1/completions", Request("claude", new JsonObject { ["tokens"] = 5 }, stream).ToContent());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var id = response.Headers.GetValues("X-Generation-Id").Single();
            var usage = stream ? (await EventsAsync(response)).Events[^1]["usage"]! : (await response.JsonAsync())["usage"]!;

            var record = await BillingTestKit.GenerationAsync(inference, id);
            var charged = await BillingTestKit.TotalUsageAsync(management);

            Assert.True(charged > 0m);
            Assert.Equal(record["total_cost"]!.GetValue<decimal>(), charged);
            Assert.Equal(usage["cost"]!.GetValue<decimal>(), charged);
            Assert.Equal("completions", record["api"]!.GetValue<string>());
            Assert.Equal(stream, record["streamed"]!.GetValue<bool>());
        }
    }

    [Theory]
    [MemberData(nameof(ProvidersBothWays))]
    public async Task A_filtered_answer_ends_with_content_filter(string provider, bool stream)
    {
        var (_, finish, _) = await CompleteAsync(Fixture.Client, Request(provider, new JsonObject { ["content"] = "partial", ["finish_reason"] = "content_filter" }, stream), stream);

        Assert.Equal("content_filter", finish);
    }

    [Fact]
    public async Task The_record_names_the_completions_api_and_costs_what_the_response_said()
    {
        using var response = await Fixture.Client.PostAsync("/api/v1/completions", Request("alpha", new JsonObject { ["content"] = "paid" }).ToContent());
        var completion = await response.JsonAsync();

        var record = await BillingTestKit.GenerationAsync(Fixture.Client, completion["id"]!.GetValue<string>());
        Assert.Equal("completions", record["api"]!.GetValue<string>());
        Assert.Equal(completion["usage"]!["cost"]!.GetValue<decimal>(), record["total_cost"]!.GetValue<decimal>());
        Assert.Equal(completion["usage"]!["completion_tokens"]!.GetValue<int>(), record["tokens_completion"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failure_after_the_first_event_ends_with_OpenRouters_error_chunk_and_no_done(string provider)
    {
        using var response = await Fixture.Client.PostAsync("/api/v1/completions",
            Request(provider, new JsonObject { ["content"] = "one two three four five six", ["error_event_after"] = 4 }, stream: true).ToContent());

        var (events, done) = await EventsAsync(response);
        Assert.False(done);
        Assert.NotEmpty(Text(events[..^1]));
        var last = events[^1];
        Assert.Equal("text_completion", last["object"]!.GetValue<string>());
        Assert.NotNull(last["error"]!["message"]);
        Assert.Equal("error", last["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_client_that_leaves_mid_stream_cancels_the_upstream_and_is_charged_for_what_it_received(string provider)
    {
        // About 20 s of generation: long enough that a loaded CI machine notices the client leaving before the provider
        // ends on its own (200 tokens, 2 s, once did not); the test ends as soon as the upstream call is cancelled.
        var body = Request(provider, new JsonObject { ["tokens"] = 2000, ["chunk_delay_ms"] = 30 }, stream: true);
        body["max_tokens"] = 4000;
        string id;
        var received = 0;
        using (var response = await Fixture.Client.PostStreamAsync(body, path: "/api/v1/completions"))
        {
            id = response.Headers.GetValues("X-Generation-Id").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (received < 40 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonNode.Parse(line[6..])!["choices"]!.AsArray() is [{ } choice, ..])
                {
                    received += choice["text"]!.GetValue<string>().Length;
                }
            }
        } // the client goes away mid-generation

        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(Marker(body), StringComparison.Ordinal) && r.ClientAborted, TimeSpan.FromSeconds(10));
        Assert.True(upstream.ClientAborted);
        var record = await BillingTestKit.GenerationAsync(Fixture.Client, id);
        Assert.True(record["cancelled"]!.GetValue<bool>());
        Assert.Equal("completions", record["api"]!.GetValue<string>());
        Assert.InRange(record["tokens_completion"]!.GetValue<int>(), (received + 3) / 4, 1999); // what was received, not the whole
        Assert.True(record["total_cost"]!.GetValue<decimal>() > 0m);
    }
}
