using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Requests;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Chat;

public sealed class ChatCompletionsTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private static JsonObject Pinned(string provider, JsonObject body)
    {
        body["provider"] = new JsonObject { ["order"] = new JsonArray(provider), ["allow_fallbacks"] = false };
        return body;
    }

    [Fact]
    public async Task NonStreaming_response_is_openai_shaped_with_generation_id_provider_model_and_native_finish_reason()
    {
        var body = Pinned("beta", ChatRequests.Body("test/multi", new JsonObject { ["content"] = "Hi from beta" }));

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        var id = json["id"]!.GetValue<string>();
        Assert.Matches(@"^gen-\d+-[A-Za-z0-9]{20}$", id);
        Assert.Equal(id, response.Headers.GetValues("X-Generation-Id").Single());
        Assert.Equal("Beta", json["provider"]!.GetValue<string>());
        Assert.Equal("test/multi", json["model"]!.GetValue<string>());
        Assert.Equal("chat.completion", json["object"]!.GetValue<string>());
        var choice = json["choices"]![0]!;
        Assert.Equal("Hi from beta", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("stop", choice["native_finish_reason"]!.GetValue<string>());
        Assert.Equal(3, json["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Generation_ids_of_successive_requests_sort_in_the_order_the_requests_were_made()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Fixture.Client.PostChatAsync(ChatRequests.Body("test/multi"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("X-Generation-Id").Single());
        }

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public async Task Request_reaches_upstream_with_provider_model_name_and_credential()
    {
        var body = Pinned("alpha", ChatRequests.Body("test/multi"));

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5));
        Assert.Equal("alpha", upstream.Provider);
        Assert.Equal("Bearer key-alpha", upstream.Authorization);
        Assert.Equal("alpha-model", JsonNode.Parse(upstream.Body)!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_client_field_reaches_an_openai_compatible_upstream_unchanged_and_gateway_fields_are_removed()
    {
        var body = Pinned("alpha", ChatRequests.Body("test/multi"));
        body["messages"] = JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},
             {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]
            """);
        body["tools"] = JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}}]""");
        body["tool_choice"] = JsonNode.Parse("""{"type":"function","function":{"name":"get_weather"}}""");
        body["response_format"] = JsonNode.Parse("""{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"object"},"strict":true}}""");
        body["logprobs"] = true;
        body["top_logprobs"] = 3;
        body["seed"] = 42;
        body["temperature"] = 0.25;
        body["a_field_from_the_future"] = JsonNode.Parse("""{"nested":[1,"two",{"three":3.0e0}],"unicode":"héllo \u2603"}""");
        body["models"] = new JsonArray("test/other");
        body["transforms"] = new JsonArray("middle-out");
        body["usage"] = new JsonObject { ["include"] = true };
        body["route"] = "fallback";

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = JsonNode.Parse((await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5))).Body)!.AsObject();
        foreach (var field in new[] { "messages", "tools", "tool_choice", "response_format", "logprobs", "top_logprobs", "seed", "temperature", "a_field_from_the_future", "user", "simulator" })
        {
            Assert.True(JsonNode.DeepEquals(body[field], upstream[field]), $"'{field}' changed on the way upstream: {upstream[field]?.ToJsonString()}");
        }
        foreach (var gatewayField in new[] { "models", "provider", "transforms", "usage", "route" })
        {
            Assert.False(upstream.ContainsKey(gatewayField), $"gateway field '{gatewayField}' was forwarded");
        }
        Assert.Equal("alpha-model", upstream["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_field_bytes_are_forwarded_verbatim_not_reserialized()
    {
        var marker = Guid.NewGuid().ToString("N");
        var raw = $$"""{"model":"test/multi","provider":{"only":["alpha"]},"user":"{{marker}}","messages":[{"role":"user","content":"x"}],"weird":  [1.50, 1e3, "\u00e9"]}""";

        using var response = await Fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(raw, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker), TimeSpan.FromSeconds(5));
        Assert.Contains("\"weird\":  [1.50, 1e3, \"\\u00e9\"]", upstream.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRouter_reasoning_effort_is_translated_for_openai_compatible_upstreams()
    {
        var body = Pinned("alpha", ChatRequests.Body("test/multi"));
        body["reasoning"] = new JsonObject { ["effort"] = "high" };

        using var response = await Fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = JsonNode.Parse((await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(body.Marker()), TimeSpan.FromSeconds(5))).Body)!;
        Assert.Equal("high", upstream["reasoning_effort"]!.GetValue<string>());
        Assert.Null(upstream["reasoning"]);
    }

    [Theory]
    [InlineData("/api/v1/chat/completions")]
    [InlineData("/v1/chat/completions")]
    public async Task Chat_completions_are_served_under_both_base_paths(string path)
    {
        using var response = await Fixture.Client.PostChatAsync(ChatRequests.Body("test/multi"), path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test/multi", (await response.JsonAsync())["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Routing_metadata_lists_every_attempt_when_the_client_opts_in()
    {
        var body = ChatRequests.Body("test/multi", JsonNode.Parse("""{"providers":{"alpha":{"status":503}}}""")!.AsObject());
        body["provider"] = new JsonObject { ["order"] = new JsonArray("alpha", "beta") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = body.ToContent() };
        request.Headers.Add("X-OpenRouter-Metadata", "enabled");

        using var response = await Fixture.Client.SendAsync(request);

        var metadata = (await response.JsonAsync())["openrouter_metadata"]!;
        Assert.Equal("fallback", metadata["strategy"]!.GetValue<string>());
        var attempts = metadata["attempts"]!.AsArray();
        Assert.Equal(["Alpha", "Beta"], attempts.Select(a => a!["provider"]!.GetValue<string>()));
        Assert.Equal([503, 200], attempts.Select(a => a!["status"]!.GetValue<int>()));
    }
}
