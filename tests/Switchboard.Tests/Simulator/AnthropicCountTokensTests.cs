using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Simulator;

/// <summary>
/// The simulator's <c>POST /v1/messages/count_tokens</c>: validated like Anthropic's (the Messages checks, without
/// <c>max_tokens</c> and without the generation fields), counting what a message for the same body reports.
/// </summary>
public sealed class AnthropicCountTokensTests
{
    private static JsonObject Body(string text = "Count these words, please.") => new()
    {
        ["model"] = "claude-model",
        ["system"] = "Be brief.",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, JsonObject body, bool version = true)
    {
        var simulator = await SharedSimulator.GetAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.BaseAddress, path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-api-key", "test");
        if (version)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        return await http.SendAsync(request);
    }

    private static async Task<string> InvalidRequestMessageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        return error["error"]!["message"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_count_is_the_input_tokens_a_message_for_the_same_body_reports()
    {
        using var http = new HttpClient();
        var body = Body(new string('x', 400));

        using var count = await PostAsync(http, "countsim/v1/messages/count_tokens", body);
        var message = body.DeepClone().AsObject();
        message["max_tokens"] = 16;
        using var generation = await PostAsync(http, "countsim/v1/messages", message);

        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.False(string.IsNullOrEmpty(count.Headers.GetValues("request-id").Single()));
        var counted = (await count.JsonAsync())["input_tokens"]!.GetValue<int>();
        Assert.Equal((400 + "Be brief.".Length) / 4, counted);
        Assert.Equal((await generation.JsonAsync())["usage"]!["input_tokens"]!.GetValue<int>(), counted);
    }

    [Fact]
    public async Task A_scripted_prompt_count_sets_the_count_and_the_request_is_recorded()
    {
        var simulator = await SharedSimulator.GetAsync();
        using var http = new HttpClient();
        var marker = Guid.NewGuid().ToString("N");
        var body = Body($"{marker} <simulator>{{\"usage\":{{\"prompt_tokens\":1234,\"cache_read_tokens\":34}}}}</simulator>");

        using var response = await PostAsync(http, "countsim/v1/messages/count_tokens", body);

        Assert.Equal(1200, (await response.JsonAsync())["input_tokens"]!.GetValue<int>());
        var recorded = await simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Equal("countsim", recorded.Provider);
        Assert.Equal("/countsim/v1/messages/count_tokens", recorded.Path);
    }

    [Theory]
    [InlineData("max_tokens", "16")]
    [InlineData("stream", "false")]
    [InlineData("temperature", "0.5")]
    [InlineData("stop_sequences", """["END"]""")]
    [InlineData("metadata", """{"user_id":"u"}""")]
    [InlineData("provider", """{"only":["claude"]}""")]
    public async Task Generation_fields_are_extra_inputs(string field, string value)
    {
        using var http = new HttpClient();
        var body = Body();
        body[field] = JsonNode.Parse(value);

        using var response = await PostAsync(http, "v1/messages/count_tokens", body);

        Assert.Equal($"{field}: Extra inputs are not permitted", await InvalidRequestMessageAsync(response));
    }

    [Fact]
    public async Task The_count_fields_are_accepted_and_checked_as_for_a_message()
    {
        using var http = new HttpClient();
        var body = Body();
        body["tools"] = JsonNode.Parse("""[{"name":"get_weather","input_schema":{"type":"object"}}]""");
        body["tool_choice"] = JsonNode.Parse("""{"type":"auto"}""");
        body["thinking"] = JsonNode.Parse("""{"type":"enabled","budget_tokens":50000}""");
        using var accepted = await PostAsync(http, "v1/messages/count_tokens", body);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var noMessages = Body();
        noMessages.Remove("messages");
        using var missing = await PostAsync(http, "v1/messages/count_tokens", noMessages);
        Assert.Equal("messages: Field required", await InvalidRequestMessageAsync(missing));

        var systemRole = Body();
        systemRole["messages"]!.AsArray().Insert(0, new JsonObject { ["role"] = "system", ["content"] = "Be brief." });
        using var wrongRole = await PostAsync(http, "v1/messages/count_tokens", systemRole);
        Assert.Equal("messages.0.role: Input should be 'user' or 'assistant'", await InvalidRequestMessageAsync(wrongRole));

        using var noVersion = await PostAsync(http, "v1/messages/count_tokens", Body(), version: false);
        Assert.Equal("anthropic-version: header is required", await InvalidRequestMessageAsync(noVersion));
    }

    [Fact]
    public async Task Scripted_faults_apply_to_the_count()
    {
        using var http = new HttpClient();

        using var failed = await PostAsync(http, "v1/messages/count_tokens", Body("Hi <simulator>{\"status\":500}</simulator>"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("api_error", (await failed.JsonAsync())["error"]!["type"]!.GetValue<string>());

        using var malformed = await PostAsync(http, "v1/messages/count_tokens", Body("Hi <simulator>{\"malformed_after_events\":0}</simulator>"));
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        Assert.Equal("""{"input_tokens":""", await malformed.Content.ReadAsStringAsync());
    }
}
