using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Routing;

public sealed class FallbackTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private static JsonObject AlphaThenBeta(JsonObject alphaScript, bool stream = false, bool allowFallbacks = true)
    {
        var script = new JsonObject { ["providers"] = new JsonObject { ["alpha"] = alphaScript }, ["content"] = "served" };
        var body = ChatRequests.Body("test/multi", script, stream);
        // allow_fallbacks: false stops after the listed providers, so then only alpha is listed.
        var order = allowFallbacks ? new JsonArray("alpha", "beta") : new JsonArray("alpha");
        body["provider"] = new JsonObject { ["order"] = order, ["allow_fallbacks"] = allowFallbacks, ["only"] = new JsonArray("alpha", "beta") };
        return body;
    }

    public static TheoryData<string, bool> RetryableFailures => new()
    {
        { """{"status":503}""", false },
        { """{"status":503}""", true },
        { """{"status":429,"retry_after":7}""", false },
        { """{"status":529}""", true },
        { """{"status":500}""", false },
        { """{"status":502}""", true },
        { """{"status":408}""", false },
        { """{"malformed_after_events":0}""", false },
        { """{"malformed_after_events":0}""", true },
        { """{"reset_after_events":0}""", true },
        { """{"error_event_after":0}""", true },
        { """{"hang":true}""", false },
        { """{"hang":true}""", true },
    };

    [Theory]
    [MemberData(nameof(RetryableFailures))]
    public async Task Fallback_moves_to_the_next_provider_when_the_first_fails_before_the_first_byte(string alphaScript, bool stream)
    {
        var body = AlphaThenBeta(JsonNode.Parse(alphaScript)!.AsObject(), stream);

        using var response = await Fixture.Client.PostStreamAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (stream)
        {
            var messages = await SseClient.ReadAllAsync(response);
            var chunks = messages.Chunks();
            Assert.Equal("served", chunks.Text());
            Assert.All(chunks, c => Assert.Equal("Beta", c["provider"]!.GetValue<string>()));
            Assert.True(messages[^1].IsDone);
        }
        else
        {
            var json = await response.JsonAsync();
            Assert.Equal("Beta", json["provider"]!.GetValue<string>());
            Assert.Equal("served", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }
        var calls = Fixture.Simulator.Requests.Snapshot().Where(r => r.Body.Contains(body.Marker())).Select(r => r.Provider).ToList();
        Assert.Equal(["alpha", "beta"], calls);
    }

    [Fact]
    public async Task Fallback_moves_on_when_a_provider_refuses_connections()
    {
        var body = ChatRequests.Body("test/dead-first");
        body["provider"] = new JsonObject { ["order"] = new JsonArray("dead", "alpha") };

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Alpha", (await response.JsonAsync())["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fallback_moves_to_the_next_model_when_every_provider_of_the_first_fails()
    {
        // test/dead-first without alpha is served only by a provider that refuses connections.
        var body = ChatRequests.Body("test/dead-first", new JsonObject { ["content"] = "from the other model" });
        body["models"] = new JsonArray("test/other");
        body["provider"] = new JsonObject { ["ignore"] = new JsonArray("alpha") };

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal("test/other", json["model"]!.GetValue<string>());
        Assert.Contains(json["provider"]!.GetValue<string>(), new[] { "Beta", "Gamma" });
        Assert.Equal("from the other model", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"reset_after_events":3}""")]
    [InlineData("""{"error_event_after":3}""")]
    [InlineData("""{"malformed_after_events":3}""")]
    [InlineData("""{"omit_done":true,"hang_after_events":3}""")]
    public async Task A_failure_after_the_first_byte_ends_the_stream_with_an_error_chunk_and_no_fallback(string alphaScript)
    {
        var body = AlphaThenBeta(JsonNode.Parse(alphaScript)!.AsObject(), stream: true);
        body["simulator"]!["content"] = "one two three four five";

        using var response = await Fixture.Client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chunks = messages.Chunks();
        Assert.Equal("one two ", chunks.Text());
        var last = chunks[^1];
        Assert.NotNull(last["error"]);
        Assert.Equal("Alpha", last["error"]!["metadata"]!["provider_name"]!.GetValue<string>());
        Assert.Equal("error", last["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(messages, m => m.IsDone);
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(body.Marker()) && r.Provider == "beta");
    }

    [Fact]
    public async Task Allow_fallbacks_false_returns_the_first_providers_error_without_trying_others()
    {
        var body = AlphaThenBeta(new JsonObject { ["status"] = 503, ["error_body"] = """{"error":{"message":"alpha is overloaded","type":"server_error"}}""" }, allowFallbacks: false);

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(503, error["code"]!.GetValue<int>());
        Assert.Contains("alpha is overloaded", error["message"]!.GetValue<string>());
        Assert.Equal("Alpha", error["metadata"]!["provider_name"]!.GetValue<string>());
        Assert.Contains("alpha is overloaded", error["metadata"]!["raw"]!.GetValue<string>());
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(body.Marker()) && r.Provider == "beta");
    }

    [Fact]
    public async Task A_bad_request_from_the_upstream_is_returned_as_is_and_not_retried()
    {
        var body = AlphaThenBeta(new JsonObject { ["status"] = 400, ["error_body"] = """{"error":{"message":"messages[0].content is too long","type":"invalid_request_error"}}""" });

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Contains("too long", error["message"]!.GetValue<string>());
        Assert.DoesNotContain(Fixture.Simulator.Requests.Snapshot(), r => r.Body.Contains(body.Marker()) && r.Provider == "beta");
    }

    [Theory]
    [InlineData("""{"status":500}""", HttpStatusCode.BadGateway)]
    [InlineData("""{"status":503}""", HttpStatusCode.ServiceUnavailable)]
    [InlineData("""{"status":529}""", HttpStatusCode.ServiceUnavailable)]
    [InlineData("""{"status":429,"retry_after":9}""", HttpStatusCode.TooManyRequests)]
    [InlineData("""{"hang":true}""", HttpStatusCode.RequestTimeout)]
    public async Task When_every_attempt_fails_the_last_failure_is_reported_with_provider_and_attempts(string script, HttpStatusCode expected)
    {
        var body = ChatRequests.Body("test/multi", JsonNode.Parse(script)!.AsObject());
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta"), ["only"] = new JsonArray("alpha", "beta") };

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(expected, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal((int)expected, error["code"]!.GetValue<int>());
        Assert.Equal("Beta", error["metadata"]!["provider_name"]!.GetValue<string>());
        Assert.Equal(["Alpha", "Beta"], error["metadata"]!["attempts"]!.AsArray().Select(a => a!["provider"]!.GetValue<string>()));
        if (expected == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal(TimeSpan.FromSeconds(9), response.Headers.RetryAfter!.Delta);
        }
        if (expected != HttpStatusCode.RequestTimeout)
        {
            Assert.NotNull(error["metadata"]!["raw"]);
        }
    }

    [Fact]
    public async Task When_every_attempt_of_a_stream_fails_before_content_the_client_gets_an_http_error()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["status"] = 502 }, stream: true);
        body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha", "beta") };

        using var response = await Fixture.Client.PostStreamAsync(body);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(502, (await response.JsonAsync())["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stream_that_already_sent_keep_alives_reports_total_failure_as_an_error_chunk()
    {
        var body = ChatRequests.Body("test/multi", new JsonObject { ["status"] = 503, ["latency_ms"] = 1300 }, stream: true);
        body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha") };

        using var response = await Fixture.Client.PostStreamAsync(body);
        var messages = await SseClient.ReadAllAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(messages, m => m.Comment == "SWITCHBOARD PROCESSING");
        var last = messages.Chunks().Single();
        Assert.Equal(503, last["error"]!["code"]!.GetValue<int>());
        Assert.Equal("error", last["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(messages, m => m.IsDone);
    }
}
