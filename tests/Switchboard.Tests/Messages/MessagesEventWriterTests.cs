using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Messages;

namespace Switchboard.Tests.Messages;

/// <summary>The Anthropic events a stream of the gateway's OpenAI chunks becomes.</summary>
public sealed class MessagesEventWriterTests
{
    private const string Head = """{"id":"gen-1767000000-abc","provider":"Alpha","model":"test/tri","object":"chat.completion.chunk","created":1767000000,""";

    /// <summary>A chunk with the gateway's header and one choice whose delta is <paramref name="delta"/>.</summary>
    private static string Chunk(string delta, string finish = "null", string native = "null") =>
        Head + $$"""
        "choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}},"native_finish_reason":{{native}}}]}
        """;

    private const string Usage = Head + """
        "choices":[],"usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"prompt_tokens_details":{"cached_tokens":100,"cache_write_tokens":0},"completion_tokens_details":{"reasoning_tokens":10},"cost":0.0001,"is_byok":false}}
        """;

    private static (string Text, MessagesEventWriter Writer) Run(params string[] chunks)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagesEventWriter(output);
        foreach (var chunk in chunks)
        {
            writer.OnChunk(Encoding.UTF8.GetBytes(chunk));
        }
        return (Encoding.UTF8.GetString(output.WrittenSpan), writer);
    }

    /// <summary>The events, each checked to be framed as Anthropic frames them: its data's type is its name.</summary>
    private static List<(string Name, JsonObject Data)> Events(string text)
    {
        Assert.EndsWith("\n\n", text);
        var events = new List<(string, JsonObject)>();
        foreach (var block in text[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var name = lines[0]["event: ".Length..];
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject();
            Assert.Equal(name, data["type"]!.GetValue<string>());
            events.Add((name, data));
        }
        return events;
    }

    [Fact]
    public void Golden_stream_of_thinking_text_and_two_tool_calls()
    {
        var (text, writer) = Run(
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"reasoning":"Let me think","reasoning_details":[{"type":"reasoning.text","text":"Let me think","format":"anthropic-claude-v1","index":0}]}"""),
            Chunk("""{"reasoning":" about it.","reasoning_details":[{"type":"reasoning.text","text":" about it.","format":"anthropic-claude-v1","index":0}]}"""),
            Chunk("""{"reasoning_details":[{"type":"reasoning.text","signature":"c2lnbmVk","format":"anthropic-claude-v1","index":0}]}"""),
            Chunk("""{"content":"I'll check "}"""),
            Chunk("""{"content":"both."}"""),
            Chunk("""{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"{\"tz\":\"CET\"}"}}]}"""),
            Chunk("{}", "\"tool_calls\"", "\"tool_use\""),
            Usage);

        Assert.Equal("""
            event: message_start
            data: {"type":"message_start","message":{"id":"gen-1767000000-abc","type":"message","role":"assistant","model":"test/tri","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" about it."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2lnbmVk"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"I'll check "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"both."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_a","name":"get_weather","caller":{"type":"direct"},"input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: content_block_start
            data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_b","name":"get_time","caller":{"type":"direct"},"input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"tz\":\"CET\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":3}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":20,"output_tokens":40,"cache_creation_input_tokens":0,"cache_read_input_tokens":100}}

            event: message_stop
            data: {"type":"message_stop"}


            """.ReplaceLineEndings("\n"), text);
        Assert.True(writer.Ended);
        Events(text); // and every event is framed right
    }

    [Fact]
    public void Nothing_ends_before_the_usage_chunk()
    {
        var (text, writer) = Run(Chunk("""{"content":"Hi"}"""), Chunk("{}", "\"stop\"", "\"end_turn\""));

        Assert.False(writer.Ended);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta"], Events(text).Select(e => e.Name));
    }

    [Theory]
    [InlineData("\"stop\"", "\"end_turn\"", "end_turn")]
    [InlineData("\"stop\"", "\"stop_sequence\"", "stop_sequence")]
    [InlineData("\"stop\"", "null", "end_turn")]
    [InlineData("\"length\"", "\"max_tokens\"", "max_tokens")]
    [InlineData("\"tool_calls\"", "null", "tool_use")]
    [InlineData("\"content_filter\"", "\"refusal\"", "refusal")]
    [InlineData("\"something_new\"", "null", "end_turn")]
    [InlineData("null", "null", "end_turn")]
    public void Finish_reason_maps_to_a_stop_reason(string finish, string native, string expected)
    {
        var (text, _) = Run(Chunk("""{"content":"Hi"}"""), Chunk("{}", finish, native), Usage);

        var delta = Events(text).Single(e => e.Name == "message_delta").Data;
        Assert.Equal(expected, delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Null(delta["delta"]!["stop_sequence"]);
    }

    [Theory]
    [InlineData("""{"prompt_tokens":12,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4,"cache_write_tokens":2}}""", """{"input_tokens":6,"output_tokens":5,"cache_creation_input_tokens":2,"cache_read_input_tokens":4}""")]
    [InlineData("""{"prompt_tokens":12,"completion_tokens":5}""", """{"input_tokens":12,"output_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}""")]
    [InlineData("""{"prompt_tokens":3,"completion_tokens":1,"prompt_tokens_details":{"cached_tokens":4,"cache_write_tokens":null}}""", """{"input_tokens":0,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":4}""")]
    [InlineData("""{"prompt_tokens":"12","prompt_tokens_details":7}""", """{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}""")]
    public void Usage_maps_to_anthropic_counts_that_exclude_the_cache(string usage, string expected)
    {
        var (text, writer) = Run(Head + "\"choices\":[],\"usage\":" + usage + "}");

        Assert.True(writer.Ended);
        Assert.Equal(expected, Events(text).Single(e => e.Name == "message_delta").Data["usage"]!.ToJsonString());
    }

    [Fact]
    public void Content_finish_and_usage_in_one_chunk_are_all_written_in_order()
    {
        var (text, writer) = Run(Head + """
            "choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}
            """);

        Assert.True(writer.Ended);
        var events = Events(text);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Name));
        Assert.Equal("max_tokens", events[4].Data["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Error_chunk_is_an_error_event_with_no_message_stop_and_ends_the_stream()
    {
        var (text, writer) = Run(
            Chunk("""{"content":"Hal"}"""),
            Head + """
            "error":{"code":502,"message":"Upstream went away","metadata":{"provider_name":"Alpha"}},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error","native_finish_reason":null}],"usage":{"prompt_tokens":3,"completion_tokens":1}}
            """,
            Chunk("""{"content":"more"}"""),
            Usage);

        Assert.True(writer.Ended);
        Assert.EndsWith("""
            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hal"}}

            event: error
            data: {"type":"error","error":{"type":"api_error","message":"Upstream went away"}}


            """.ReplaceLineEndings("\n"), text);
        Assert.DoesNotContain("message_stop", text);
    }

    [Theory]
    [InlineData("""{"code":429,"message":"Slow down"}""", "rate_limit_error", "Slow down")]
    [InlineData("""{"code":"529","message":"Overloaded"}""", "overloaded_error", "Overloaded")]
    [InlineData("""{"message":"No code"}""", "api_error", "No code")]
    [InlineData("""{"code":400}""", "invalid_request_error", "The upstream provider failed.")]
    [InlineData("\"just text\"", "api_error", "just text")]
    public void Error_as_the_first_chunk_still_follows_a_message_start(string error, string type, string message)
    {
        var (text, writer) = Run(Head + "\"error\":" + error + "}");

        Assert.True(writer.Ended);
        var events = Events(text);
        Assert.Equal(["message_start", "error"], events.Select(e => e.Name));
        Assert.Equal(type, events[1].Data["error"]!["type"]!.GetValue<string>());
        Assert.Equal(message, events[1].Data["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(402, "billing_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(408, "invalid_request_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(422, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(504, "timeout_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(0, "api_error")]
    [InlineData(200, "api_error")]
    public void Error_types_follow_anthropics_for_each_status(int status, string expected)
    {
        Assert.Equal(expected, AnthropicErrorTypes.FromStatus(status));
    }

    [Fact]
    public void Ping_is_anthropics_exact_bytes_and_stops_after_the_end()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagesEventWriter(output);

        writer.WriteKeepAlive();
        Assert.Equal("event: ping\ndata: {\"type\": \"ping\"}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));

        writer.OnChunk(Encoding.UTF8.GetBytes(Usage));
        var ended = output.WrittenCount;
        writer.WriteKeepAlive();
        writer.OnChunk(Encoding.UTF8.GetBytes(Chunk("""{"content":"late"}""")));
        Assert.Equal(ended, output.WrittenCount);
    }

    [Fact]
    public void Redacted_reasoning_is_a_block_that_opens_and_closes_at_once()
    {
        var (text, _) = Run(
            Chunk("""{"reasoning_details":[{"type":"reasoning.encrypted","data":"opaque==","format":"anthropic-claude-v1","index":0}]}"""),
            Chunk("""{"content":"Done"}"""));

        var events = Events(text);
        Assert.Equal(["message_start", "content_block_start", "content_block_stop", "content_block_start", "content_block_delta"], events.Select(e => e.Name));
        Assert.Equal("""{"type":"redacted_thinking","data":"opaque=="}""", events[1].Data["content_block"]!.ToJsonString());
        Assert.Equal(1, events[3].Data["index"]!.GetValue<int>());
    }

    [Fact]
    public void Plain_reasoning_text_without_details_is_thinking_too()
    {
        var (text, _) = Run(Chunk("""{"reasoning":"Hmm"}"""), Chunk("""{"reasoning":", yes","reasoning_details":[]}"""));

        var deltas = Events(text).Where(e => e.Name == "content_block_delta").Select(e => e.Data["delta"]!.ToJsonString());
        Assert.Equal(["""{"type":"thinking_delta","thinking":"Hmm"}""", """{"type":"thinking_delta","thinking":", yes"}"""], deltas);
    }

    [Fact]
    public void A_new_reasoning_index_or_thinking_after_a_signature_opens_a_new_thinking_block()
    {
        var (text, _) = Run(
            Chunk("""{"reasoning_details":[{"type":"reasoning.text","text":"A","index":0}]}"""),
            Chunk("""{"reasoning_details":[{"type":"reasoning.text","text":"B","index":1}]}"""),
            Chunk("""{"reasoning_details":[{"type":"reasoning.text","signature":"s1","index":1}]}"""),
            Chunk("""{"reasoning":"C"}"""),
            Chunk("""{"reasoning_details":[{"type":"reasoning.summary","summary":"D"}]}"""));

        var starts = Events(text).Where(e => e.Name == "content_block_start").Select(e => e.Data["index"]!.GetValue<int>());
        Assert.Equal([0, 1, 2], starts);
        var deltas = Events(text).Where(e => e.Name == "content_block_delta").Select(e => (e.Data["index"]!.GetValue<int>(), e.Data["delta"]!["type"]!.GetValue<string>()));
        Assert.Equal([(0, "thinking_delta"), (1, "thinking_delta"), (1, "signature_delta"), (2, "thinking_delta"), (2, "thinking_delta")], deltas);
    }

    [Fact]
    public void Interleaved_tool_call_fragments_go_to_their_own_blocks()
    {
        var (text, _) = Run(
            Chunk("""{"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"f","arguments":"{\"x\""}},{"index":1,"id":"b","type":"function","function":{"name":"g","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":":1}"}},{"index":1,"function":{"arguments":"{}"}}]}"""));

        var events = Events(text);
        Assert.Equal(
            [("content_block_start", 0), ("content_block_delta", 0), ("content_block_stop", 0), ("content_block_start", 1), ("content_block_delta", 0), ("content_block_delta", 1)],
            events.Skip(1).Select(e => (e.Name, e.Data["index"]!.GetValue<int>())));
        Assert.Equal("{\"x\":1}", string.Concat(events.Where(e => e.Name == "content_block_delta" && e.Data["index"]!.GetValue<int>() == 0)
            .Select(e => e.Data["delta"]!["partial_json"]!.GetValue<string>())));
    }

    [Fact]
    public void Tool_calls_without_an_index_or_id_still_get_blocks_and_ids()
    {
        var (text, _) = Run(
            Chunk("""{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{"}}]}"""),
            Chunk("""{"tool_calls":[{"function":{"arguments":"}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":5,"function":{"arguments":"{}"}}]}"""));

        var starts = Events(text).Where(e => e.Name == "content_block_start").Select(e => e.Data["content_block"]!.ToJsonString());
        Assert.Equal(["""{"type":"tool_use","id":"a","name":"f","caller":{"type":"direct"},"input":{}}""", """{"type":"tool_use","id":"call_5","name":"","caller":{"type":"direct"},"input":{}}"""], starts);
        var deltas = Events(text).Where(e => e.Name == "content_block_delta").Select(e => (e.Data["index"]!.GetValue<int>(), e.Data["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.Equal([(0, "{"), (0, "}"), (1, "{}")], deltas);
    }

    [Fact]
    public void Switching_back_and_forth_opens_a_new_block_each_time()
    {
        var (text, _) = Run(
            Chunk("""{"content":"a"}"""),
            Chunk("""{"reasoning":"b"}"""),
            Chunk("""{"content":"c"}"""),
            Usage);

        var blocks = Events(text).Where(e => e.Name == "content_block_start").Select(e => e.Data["content_block"]!["type"]!.GetValue<string>());
        Assert.Equal(["text", "thinking", "text"], blocks);
        Assert.Equal(3, Events(text).Count(e => e.Name == "content_block_stop"));
    }

    [Fact]
    public void Refusal_text_is_streamed_as_text()
    {
        var (text, _) = Run(Chunk("""{"refusal":"I can't help with that."}"""));

        Assert.Contains("""{"type":"text_delta","text":"I can't help with that."}""", text);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"x\"")]
    [InlineData("{\"choices\":")]
    [InlineData("""{"choices":[{"delta":{"content":"\udc00"}}]}""")]
    [InlineData("")]
    public void Malformed_chunks_are_ignored(string chunk)
    {
        var (text, writer) = Run(chunk);

        Assert.Equal("", text);
        Assert.False(writer.Ended);
    }

    [Fact]
    public void Chunks_of_unexpected_shape_never_throw()
    {
        string[] odd =
        [
            """{"choices":{}}""", """{"choices":[5]}""", """{"choices":[{"delta":[]}]}""", """{"choices":[{"delta":{"content":5,"tool_calls":{}}}]}""",
            """{"choices":[{"delta":{"tool_calls":[5,{"index":"0"},{"index":1e99,"function":[]}]}}]}""", """{"choices":[{"delta":{"reasoning_details":[1,{"type":5},{"type":"reasoning.text","index":"x","signature":3}]}}]}""",
            """{"id":5,"model":[],"choices":[{"finish_reason":7}]}""", """{"usage":5}""", """{"error":null}""", """{"usage":{"prompt_tokens_details":[]}}""",
        ];
        var (text, writer) = Run(odd);

        Assert.True(writer.Ended);
        Events(text);
    }

    [Fact]
    public void Truncated_chunks_of_the_golden_stream_never_throw()
    {
        var chunk = Chunk("""{"reasoning":"R","reasoning_details":[{"type":"reasoning.text","text":"R","signature":"s","index":0}],"content":"T","tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}""", "\"stop\"");
        for (var i = 0; i <= chunk.Length; i++)
        {
            var (text, _) = Run(chunk[..i], Usage);
            Events(text);
        }
    }
}
