using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.CrossProtocol;

/// <summary>
/// One client-facing scenario, three upstream protocols: the same OpenAI request routed to an OpenAI-compatible
/// provider (alpha), to Anthropic Messages (claude) and to Gemini (gem) must give the client the same result,
/// streamed and not. The simulator speaks each protocol and checks what it receives as strictly as the real API.
/// </summary>
public sealed class CrossProtocolTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string, bool> Protocols()
    {
        var data = new TheoryData<string, bool>();
        foreach (var provider in new[] { "alpha", "claude", "gem" })
        {
            data.Add(provider, false);
            data.Add(provider, true);
        }
        return data;
    }

    private static readonly JsonNode WeatherTool = JsonNode.Parse("""
        [{"type":"function","function":{"name":"get_weather","description":"Current weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"],"additionalProperties":false}}}]
        """)!;

    /// <summary>A request for test/tri pinned to one provider, its script carried in the prompt so it survives translation.</summary>
    private static JsonObject Request(string provider, bool stream, JsonObject script, JsonArray? earlierTurns = null, string prompt = "Hello")
    {
        var marker = Guid.NewGuid().ToString("N");
        var messages = earlierTurns ?? [];
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"{prompt} [{marker}] <simulator>{script.ToJsonString()}</simulator>" });
        var body = new JsonObject
        {
            ["model"] = "test/tri",
            ["messages"] = messages,
            ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) },
            ["marker"] = marker,
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        return body;
    }

    private async Task<ChatOutcome> SendAsync(JsonObject body)
    {
        var stream = body["stream"]?.GetValue<bool>() == true;
        using var response = stream ? await Fixture.Client.PostStreamAsync(body) : await Fixture.Client.PostChatAsync(body);
        return await ChatOutcome.ReadAsync(response, stream);
    }

    /// <summary>The body the provider received, to check where the translation put things.</summary>
    private async Task<JsonObject> UpstreamAsync(JsonObject body)
    {
        var marker = body["marker"]!.GetValue<string>();
        var request = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker), TimeSpan.FromSeconds(5));
        return JsonNode.Parse(request.Body)!.AsObject();
    }

    private static void AssertCompleted(ChatOutcome outcome, bool stream)
    {
        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.Null(outcome.Error);
        Assert.NotNull(outcome.Usage);
        Assert.True(outcome.Usage["prompt_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(outcome.Usage["prompt_tokens"]!.GetValue<int>() + outcome.Usage["completion_tokens"]!.GetValue<int>(), outcome.Usage["total_tokens"]!.GetValue<int>());
        Assert.Equal(stream, outcome.EndedWithDone);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Plain_chat(string provider, bool stream)
    {
        var outcome = await SendAsync(Request(provider, stream, new JsonObject { ["content"] = "Hello from every protocol" }));

        AssertCompleted(outcome, stream);
        Assert.Equal("Hello from every protocol", outcome.Text);
        Assert.Equal("stop", outcome.FinishReason);
        Assert.Equal(4, outcome.Usage!["completion_tokens"]!.GetValue<int>());
        Assert.Empty(outcome.ToolCalls);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Multi_turn_with_a_system_prompt(string provider, bool stream)
    {
        var turns = JsonNode.Parse("""
            [{"role":"system","content":"Be terse."},
             {"role":"user","content":"Name a colour."},
             {"role":"assistant","content":"Blue."}]
            """)!.AsArray();
        var body = Request(provider, stream, new JsonObject { ["content"] = "Red." }, turns, "Another one.");

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("Red.", outcome.Text);
        var upstream = await UpstreamAsync(body);
        var (system, turnCount) = provider switch
        {
            "alpha" => (upstream["messages"]![0]!["content"]!.GetValue<string>(), upstream["messages"]!.AsArray().Count - 1),
            "claude" => (upstream["system"]![0]!["text"]!.GetValue<string>(), upstream["messages"]!.AsArray().Count),
            _ => (upstream["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), upstream["contents"]!.AsArray().Count),
        };
        Assert.Equal("Be terse.", system);
        Assert.Equal(3, turnCount);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Image_input(string provider, bool stream)
    {
        var body = Request(provider, stream, new JsonObject { ["content"] = "A red dot." });
        var text = body["messages"]![0]!["content"]!.GetValue<string>();
        body["messages"]![0]!["content"] = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = text },
            JsonNode.Parse("""{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}"""));

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("A red dot.", outcome.Text);
        var upstream = await UpstreamAsync(body);
        var image = provider switch
        {
            "alpha" => upstream["messages"]![0]!["content"]![1]!["image_url"]!["url"]!.GetValue<string>(),
            "claude" => upstream["messages"]![0]!["content"]![1]!["source"]!["data"]!.GetValue<string>(),
            _ => upstream["contents"]![0]!["parts"]![1]!["inlineData"]!["data"]!.GetValue<string>(),
        };
        Assert.EndsWith("iVBORw0KGgoAAAANSUhEUg==", image);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Tool_call(string provider, bool stream)
    {
        var body = Request(provider, stream, JsonNode.Parse("""{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}]}""")!.AsObject());
        body["tools"] = WeatherTool.DeepClone();

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        var call = Assert.Single(outcome.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.False(string.IsNullOrEmpty(call.Id));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Lyon"}"""), JsonNode.Parse(call.Arguments)), call.Arguments);
        Assert.Equal("tool_calls", outcome.FinishReason);
        Assert.Equal("", outcome.Text);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Parallel_tool_calls(string provider, bool stream)
    {
        var body = Request(provider, stream, JsonNode.Parse("""{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"},{"name":"get_weather","arguments":"{\"city\":\"Nice\"}"}]}""")!.AsObject());
        body["tools"] = WeatherTool.DeepClone();

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal(["Lyon", "Nice"], outcome.ToolCalls.Select(c => JsonNode.Parse(c.Arguments)!["city"]!.GetValue<string>()));
        Assert.Equal(2, outcome.ToolCalls.Select(c => c.Id).Distinct().Count());
        Assert.Equal("tool_calls", outcome.FinishReason);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Tool_result_turn(string provider, bool stream)
    {
        var turns = JsonNode.Parse("""
            [{"role":"user","content":"Weather in Lyon?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_w1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
             {"role":"tool","tool_call_id":"call_w1","content":"{\"temp_c\":12}"}]
            """)!.AsArray();
        var body = Request(provider, stream, new JsonObject { ["content"] = "It is 12C in Lyon." }, turns, "So?");
        body["tools"] = WeatherTool.DeepClone();

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream); // the simulator rejects results that do not answer the preceding call
        Assert.Equal("It is 12C in Lyon.", outcome.Text);
        var upstream = await UpstreamAsync(body);
        if (provider == "gem")
        {
            var response = upstream["contents"]![2]!["parts"]![0]!["functionResponse"]!;
            Assert.Equal("get_weather", response["name"]!.GetValue<string>());
            Assert.Equal(12, response["response"]!["temp_c"]!.GetValue<int>());
        }
        if (provider == "claude")
        {
            Assert.Equal("call_w1", upstream["messages"]![2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Json_schema_output(string provider, bool stream)
    {
        var body = Request(provider, stream, JsonNode.Parse("""{"json":{"city":"Lyon","temp":12.5}}""")!.AsObject());
        body["response_format"] = JsonNode.Parse("""
            {"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":{"type":"object",
              "properties":{"city":{"type":"string"},"temp":{"type":"number"}},"required":["city","temp"],"additionalProperties":false}}}
            """);

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Lyon","temp":12.5}"""), JsonNode.Parse(outcome.Text)), outcome.Text);
        Assert.Equal("stop", outcome.FinishReason);
        Assert.Empty(outcome.ToolCalls);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Reasoning(string provider, bool stream)
    {
        var body = Request(provider, stream, new JsonObject { ["reasoning"] = "The user greets me.", ["content"] = "Hi!" });
        body["reasoning"] = new JsonObject { ["effort"] = "low" };

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("The user greets me.", outcome.Reasoning);
        Assert.Equal("Hi!", outcome.Text);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Stop_sequence(string provider, bool stream)
    {
        var body = Request(provider, stream, new JsonObject { ["content"] = "one two STOP three" });
        body["stop"] = new JsonArray("STOP");

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("one two ", outcome.Text);
        Assert.Equal("stop", outcome.FinishReason);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Max_tokens_cut_off(string provider, bool stream)
    {
        var body = Request(provider, stream, new JsonObject { ["tokens"] = 10 });
        body["max_tokens"] = 3;

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("length", outcome.FinishReason);
        Assert.Equal(3, outcome.Usage!["completion_tokens"]!.GetValue<int>());
    }

    public static TheoryData<string, bool, int, HttpStatusCode> UpstreamErrors()
    {
        var data = new TheoryData<string, bool, int, HttpStatusCode>();
        foreach (var provider in new[] { "alpha", "claude", "gem" })
        {
            foreach (var stream in new[] { false, true })
            {
                data.Add(provider, stream, 429, HttpStatusCode.TooManyRequests);
                data.Add(provider, stream, 529, HttpStatusCode.ServiceUnavailable);
                data.Add(provider, stream, 500, HttpStatusCode.BadGateway);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UpstreamErrors))]
    public async Task Upstream_error_before_the_first_byte_is_reported_in_our_shape(string provider, bool stream, int status, HttpStatusCode expected)
    {
        var body = Request(provider, stream, new JsonObject { ["status"] = status });

        var outcome = await SendAsync(body);

        Assert.Equal(expected, outcome.Status);
        Assert.Equal((int)expected, outcome.Error!["code"]!.GetValue<int>());
        Assert.Equal(status, outcome.Error["metadata"]!["provider_status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(outcome.Error["metadata"]!["provider_name"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(outcome.Error["metadata"]!["raw"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(UpstreamErrors))]
    public async Task Upstream_error_before_the_first_byte_falls_back_to_the_next_provider(string provider, bool stream, int status, HttpStatusCode _)
    {
        var next = provider == "alpha" ? "claude" : "alpha";
        var body = Request(provider, stream, new JsonObject { ["content"] = "Recovered.", ["providers"] = new JsonObject { [provider] = new JsonObject { ["status"] = status } } });
        body["provider"] = new JsonObject { ["order"] = new JsonArray(provider, next), ["only"] = new JsonArray(provider, next) };

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream);
        Assert.Equal("Recovered.", outcome.Text);
        Assert.Equal(next == "alpha" ? "Alpha" : "Claude", outcome.Provider);
    }

    [Theory]
    [InlineData("claude", 1)] // overloaded_error right after message_start: nothing was sent yet
    [InlineData("gem", 0)]
    [InlineData("alpha", 0)]
    public async Task An_error_event_before_any_content_falls_back(string provider, int errorAfter)
    {
        var next = provider == "alpha" ? "claude" : "alpha";
        var body = Request(provider, stream: true, new JsonObject
        {
            ["content"] = "Recovered.",
            ["providers"] = new JsonObject { [provider] = new JsonObject { ["error_event_after"] = errorAfter } },
        });
        body["provider"] = new JsonObject { ["order"] = new JsonArray(provider, next), ["only"] = new JsonArray(provider, next) };

        var outcome = await SendAsync(body);

        AssertCompleted(outcome, stream: true);
        Assert.Equal("Recovered.", outcome.Text);
        Assert.Equal(next == "alpha" ? "Alpha" : "Claude", outcome.Provider);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task Error_mid_stream_ends_with_an_error_chunk(string provider)
    {
        var body = Request(provider, stream: true, new JsonObject { ["content"] = "one two three four five six", ["error_event_after"] = 5 });

        var outcome = await SendAsync(body);

        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.StartsWith("one ", outcome.Text);
        Assert.NotNull(outcome.Error);
        Assert.Equal("error", outcome.FinishReason);
        Assert.False(outcome.EndedWithDone);
    }
}
