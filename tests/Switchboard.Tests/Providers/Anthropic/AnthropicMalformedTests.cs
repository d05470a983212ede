using System.Buffers;
using System.Text;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Streaming;

namespace Switchboard.Tests.Providers.Anthropic;

/// <summary>
/// Claude's answers that parse but are not what the protocol promises, written by hand: each is an upstream
/// failure (<see cref="FailureKind.InvalidResponse"/>), so the attempt falls over, and none throws.
/// </summary>
public sealed class AnthropicMalformedTests
{
    private static readonly AnthropicAdapter Adapter = new();
    private static readonly Switchboard.Requests.ChatRequest PlainRequest = TranslationHarness.Request("""{"model":"test/model","messages":[{"role":"user","content":"hi"}]}""");
    private static readonly Switchboard.Requests.ChatRequest JsonRequest = TranslationHarness.Request(
        """{"model":"test/model","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"array"}}}}""");

    private const string Start = """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}""";
    private const string TextStart = """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""";

    [Theory]
    [InlineData("""{"type":"content_block_start","content_block":{"type":"text","text":""}}""")] // no index
    [InlineData("""{"type":"content_block_start","index":"0","content_block":{"type":"text","text":""}}""")] // index a string
    [InlineData("""{"type":"content_block_start","index":0}""")] // no content block
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"text":""}}""")] // a block without its type
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","name":"f","input":{}}}""")] // a call without its id
    [InlineData("""{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking"}}""")] // no data
    [InlineData("""{"type":"content_block_delta","index":0}""")] // no delta
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"text":"a"}}""")] // a delta without its type
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}""")] // text a number
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\ud800"}}""")] // a lone surrogate
    [InlineData("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta"}}""")] // no partial_json
    [InlineData("""{"type":"content_block_stop"}""")] // no index
    [InlineData("""[1,2]""")]
    [InlineData("\"message_start\"")]
    [InlineData("{\"type\":\"content_block_delta\",")]
    public void A_stream_event_without_what_the_protocol_gives_it_fails_the_attempt(string data)
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (chunks, step) = TranslationHarness.Stream(translator, Sse(Start, TextStart, data));

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(FailureKind.InvalidResponse, translator.Failure!.Kind);
        Assert.True(translator.Failure.AllowsFallback);
        Assert.DoesNotContain(chunks, c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>() is { Length: > 0 });
    }

    [Fact]
    public void A_stream_event_of_invalid_utf8_fails_the_attempt()
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);
        var sse = Encoding.UTF8.GetBytes(Sse(Start, TextStart, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a#b"}}"""));
        sse[Array.LastIndexOf(sse, (byte)'#')] = 0xFF;

        var (_, step) = TranslationHarness.Stream(translator, sse);

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(FailureKind.InvalidResponse, translator.Failure!.Kind);
    }

    [Theory]
    [InlineData("""{"type":"message_start","message":5}""")]
    [InlineData("""{"type":"message_delta","delta":"x","usage":"y"}""")]
    [InlineData("""{"type":"message_delta","delta":{"stop_reason":7},"usage":{"output_tokens":"many","output_tokens_details":3}}""")]
    [InlineData("""{"type":"ping","extra":[1,{"a":null}]}""")]
    [InlineData("""{"type":"content_block_delta","index":9,"delta":{"type":"text_delta","text":"for a block never started"}}""")]
    public void Odd_events_that_carry_nothing_required_are_passed_over_without_throwing(string data)
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (_, step) = TranslationHarness.Stream(translator, Sse(Start, data, """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}""", """{"type":"message_stop"}"""));

        Assert.Equal(StreamStep.Done, step);
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"type":5,"message":["x"]}}""")]
    [InlineData("""{"type":"error","error":"overloaded"}""")]
    [InlineData("""{"type":"error"}""")]
    public void An_error_event_of_any_shape_is_a_failure(string data)
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (_, step) = TranslationHarness.Stream(translator, Sse(Start, data));

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(FailureKind.InvalidResponse, translator.Failure!.Kind);
    }

    [Fact]
    public void A_json_answer_that_is_not_json_fails_the_attempt()
    {
        var translator = Adapter.CreateStreamTranslator(JsonRequest, TranslationHarness.Identity);

        var (_, step) = TranslationHarness.Stream(translator, Sse(
            Start,
            """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"json_response","input":{}}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"value\": [1,"}}""",
            """{"type":"content_block_stop","index":0}"""));

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(FailureKind.InvalidResponse, translator.Failure!.Kind);
    }

    [Theory]
    [InlineData("""{"content":[{"text":"no type"}]}""")]
    [InlineData("""{"content":[{"type":"text","text":5}]}""")]
    [InlineData("""{"content":[{"type":"text"}]}""")]
    [InlineData("""{"content":[{"type":"thinking","signature":"s"}]}""")]
    [InlineData("""{"content":[{"type":"redacted_thinking","data":null}]}""")]
    [InlineData("""{"content":[{"type":"tool_use","id":"t","name":"f"}]}""")] // no input
    [InlineData("""{"content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}""")] // input a string
    [InlineData("""{"content":[{"type":"tool_use","name":"f","input":{}}]}""")] // no id
    [InlineData("""{"content":[{"type":"tool_use","id":"t","name":5,"input":{}}]}""")]
    [InlineData("""{"content":[5]}""")]
    [InlineData("""{"content":{"type":"text","text":"not an array"}}""")]
    [InlineData("""{"content":[{"type":"text","text":"\udc00"}]}""")]
    [InlineData("""[{"content":[]}]""")]
    [InlineData("""{"content":[]} trailing""")]
    public void A_message_without_what_the_protocol_gives_it_fails_the_attempt(string body)
    {
        var result = Adapter.TranslateCompletion(PlainRequest, Encoding.UTF8.GetBytes(body), TranslationHarness.Identity, new ArrayBufferWriter<byte>());

        Assert.Equal(FailureKind.InvalidResponse, result.Failure!.Kind);
        Assert.True(result.Failure.AllowsFallback);
    }

    [Theory]
    [InlineData("""{"content":[{"type":"text","text":"ok"}],"stop_reason":5,"usage":"lots"}""")]
    [InlineData("""{"content":[{"type":"text","text":"ok"},{"type":"server_tool_use","id":5}],"usage":{"input_tokens":1e400,"output_tokens_details":[]}}""")]
    public void Odd_optional_fields_of_a_message_are_passed_over(string body)
    {
        var result = Adapter.TranslateCompletion(PlainRequest, Encoding.UTF8.GetBytes(body), TranslationHarness.Identity, new ArrayBufferWriter<byte>());

        Assert.Null(result.Failure);
        Assert.NotNull(result.Usage);
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"type":5,"message":{"a":1}}}""")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"\ud800"}}""")]
    [InlineData("<html>")]
    public void An_error_response_of_any_shape_is_read_without_throwing(string body)
    {
        var failure = Adapter.ReadError(529, Encoding.UTF8.GetBytes(body), retryAfterSeconds: null);

        Assert.Equal(FailureKind.HttpStatus, failure.Kind);
        Assert.Equal("Anthropic returned HTTP 529.", failure.Message);
    }

    private static string Sse(params string[] events) =>
        string.Concat(events.Select(e => $"event: {EventName(e)}\ndata: {e}\n\n"));

    private static string EventName(string data)
    {
        var at = data.IndexOf("\"type\":\"", StringComparison.Ordinal);
        return at < 0 ? "message" : data[(at + 8)..data.IndexOf('"', at + 8)];
    }
}
