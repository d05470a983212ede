using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models;
using Anthropic.Models.Messages;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sdk;

/// <summary>
/// The official Anthropic .NET SDK, with only its base URL and key changed, works against the gateway's Messages API:
/// natively to Claude endpoints and translated to OpenAI-compatible (alpha) and Gemini (gem) ones.
/// </summary>
public sealed class AnthropicSdkTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    public static TheoryData<string> Providers() => new() { "alpha", "claude", "gem" };

    private const string WeatherQuestion = """Weather in Lyon? <simulator>{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}]}</simulator>""";

    private static readonly Tool Weather = new()
    {
        Name = "get_weather",
        Description = "Current weather",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
            Required = ["city"],
        },
    };

    /// <summary>A client that checks every response against the SDK's schema, not only the fields a test touches.</summary>
    private AnthropicClient Client(string? key = null) => new(new ClientOptions
    {
        // The SDK adds /v1/messages, as it does to https://api.anthropic.com.
        BaseUrl = new Uri(Fixture.Client.BaseAddress!, "api").ToString(),
        ApiKey = key ?? Fixture.Gateway.InferenceKey,
        // The gateway does its own fallback; an SDK retry would hide what it answered first.
        MaxRetries = 0,
        ResponseValidation = true,
    });

    /// <summary>
    /// A request for <c>test/tri</c> held to one provider. The SDK has no property for OpenRouter's <c>provider</c>, so it
    /// rides in the raw body data, the SDK's way to send undocumented fields; the typed properties are set on top of it.
    /// </summary>
    private static MessageCreateParams Request(string provider, string text) => Request(provider, [new UserMessageParam(text)]);

    private static MessageCreateParams Request(string provider, IReadOnlyList<MessageParam> messages) => new(
        rawHeaderData: new Dictionary<string, JsonElement>(),
        rawQueryData: new Dictionary<string, JsonElement>(),
        rawBodyData: new Dictionary<string, JsonElement> { ["provider"] = JsonSerializer.SerializeToElement(new { only = new[] { provider } }) })
    {
        Model = "test/tri",
        MaxTokens = 256,
        Messages = messages,
    };

    private static string Text(Message message) =>
        string.Concat(message.Content.Select(block => block.TryPickText(out var text) ? text.Text : ""));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_completes_a_message(string provider)
    {
        using var client = Client();
        var marker = Guid.NewGuid().ToString("N");

        var message = await client.Messages.Create(Request(provider, $$"""Hi [{{marker}}] <simulator>{"content":"Hi there"}</simulator>"""));

        Assert.Equal("Hi there", Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal("test/tri", message.Model.Raw());
        Assert.StartsWith("gen-", message.ID);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.Equal(2, message.Usage.OutputTokens);
        // The provider field in the raw body data reached routing.
        var upstream = await Fixture.Simulator.Requests.WaitForAsync(r => r.Body.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Equal(provider, upstream.Provider);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_streams_a_message_to_message_stop(string provider)
    {
        using var client = Client();
        var text = new StringBuilder();
        var types = new List<string>();
        StopReason? stop = null;
        long? outputTokens = null;

        await foreach (var streamEvent in client.Messages.CreateStreaming(Request(provider, """Hi <simulator>{"content":"streamed word by word"}</simulator>""")))
        {
            types.Add(streamEvent.Type.Raw());
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
            if (streamEvent.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Value();
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.Equal("streamed word by word", text.ToString());
        Assert.Equal("message_start", types[0]);
        Assert.Equal(["message_delta", "message_stop"], types[^2..]);
        Assert.Equal(StopReason.EndTurn, stop);
        Assert.Equal(4, outputTokens);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_aggregates_a_stream_into_the_final_message(string provider)
    {
        using var client = Client();

        var message = await client.Messages.CreateStreaming(Request(provider, """Hi <simulator>{"content":"one two three"}</simulator>""")).Aggregate();

        Assert.Equal("one two three", Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.StartsWith("gen-", message.ID);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.Equal(3, message.Usage.OutputTokens);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    public async Task Sdk_streams_past_ping_keep_alives_while_the_upstream_is_slow(string provider)
    {
        // The test gateway's keep-alive interval is 500 ms, so pings come before message_start.
        using var client = Client();

        var message = await client.Messages.CreateStreaming(Request(provider, """Hi <simulator>{"latency_ms":1300,"content":"late"}</simulator>""")).Aggregate();

        Assert.Equal("late", Text(message));
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_receives_a_tool_use_and_completes_the_tool_result_turn(string provider)
    {
        using var client = Client();

        var message = await client.Messages.Create(Request(provider, WeatherQuestion) with { Tools = [Weather] });

        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        var toolUse = ToolUse(message);
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal("Lyon", toolUse.Input["city"].GetString());

        // The SDK writes the assistant's tool_use back and the tool_result after it; the Claude simulator rejects a
        // tool_use without its tool_result, as Anthropic does.
        var answer = await client.Messages.Create(Request(provider,
        [
            new UserMessageParam(WeatherQuestion),
            new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
            new UserMessageParam(new List<ContentBlockParam>
            {
                new ToolResultBlockParam(toolUse.ID) { Content = "12C and cloudy" },
                new TextBlockParam("""Thanks <simulator>{"content":"It is 12C in Lyon."}</simulator>"""),
            }),
        ]) with { Tools = [Weather] });

        Assert.Equal("It is 12C in Lyon.", Text(answer));
        Assert.Equal(StopReason.EndTurn, answer.StopReason!.Value());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_aggregates_a_streamed_tool_use_with_its_parsed_input(string provider)
    {
        using var client = Client();

        var message = await client.Messages.CreateStreaming(Request(provider, WeatherQuestion) with { Tools = [Weather] }).Aggregate();

        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        var toolUse = ToolUse(message);
        Assert.Equal("get_weather", toolUse.Name);
        Assert.False(string.IsNullOrEmpty(toolUse.ID));
        Assert.Equal("Lyon", toolUse.Input["city"].GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_throws_its_unauthorized_exception_for_a_wrong_key(string provider)
    {
        using var client = Client("sk-sb-v1-not-a-key");

        var error = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(Request(provider, "Hi")));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ErrorType.AuthenticationError, error.Type?.Value());
        Assert.False(string.IsNullOrEmpty(error.RequestID));
    }

    [Theory]
    [InlineData("alpha", 429, typeof(AnthropicRateLimitException))]
    [InlineData("claude", 429, typeof(AnthropicRateLimitException))]
    [InlineData("gem", 500, typeof(Anthropic5xxException))]
    public async Task Sdk_maps_an_upstream_failure_to_its_exception_type(string provider, int status, System.Type expected)
    {
        using var client = Client();

        var error = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => client.Messages.Create(Request(provider, $$"""Hi <simulator>{"status":{{status}}}</simulator>""")));

        Assert.IsType(expected, error);
        Assert.StartsWith("gen-", error.RequestID);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Sdk_throws_on_an_error_event_after_the_stream_began(string provider)
    {
        using var client = Client();
        var text = new StringBuilder();

        await Assert.ThrowsAsync<AnthropicSseException>(async () =>
        {
            await foreach (var streamEvent in client.Messages.CreateStreaming(Request(provider, """Hi <simulator>{"content":"one two three four five six","error_event_after":4}</simulator>""")))
            {
                if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
                {
                    text.Append(textDelta.Text);
                }
            }
        });

        Assert.StartsWith("one ", text.ToString());
        Assert.NotEqual("one two three four five six", text.ToString());
    }

    private static ToolUseBlock ToolUse(Message message) =>
        Assert.Single(message.Content.Select(block => block.TryPickToolUse(out var use) ? use : null).OfType<ToolUseBlock>());
}
