using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Messages;

namespace Switchboard.Tests.Messages;

/// <summary>The Anthropic Message a gateway chat.completion becomes, and the completions that cannot become one.</summary>
public sealed class MessagesResponseWriterTests
{
    private static string Write(string completion)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(MessagesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static JsonObject WriteNode(string completion) => JsonNode.Parse(Write(completion))!.AsObject();

    /// <summary>A completion whose single choice has <paramref name="message"/> and the given finish reasons.</summary>
    private static string Completion(string message, string finish = "\"stop\"", string native = "null", string usage = """{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}""") =>
        $$"""
        {"id":"gen-1","provider":"Alpha","model":"test/tri","object":"chat.completion","created":1767000000,
         "choices":[{"index":0,"message":{{message}},"logprobs":null,"finish_reason":{{finish}},"native_finish_reason":{{native}}}],"usage":{{usage}}}
        """;

    [Fact]
    public void Golden_completion_with_reasoning_text_and_a_tool_call()
    {
        var completion = """
            {"id":"gen-1767000000-abc","provider":"Alpha","model":"test/tri","object":"chat.completion","created":1767000000,
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning":"Think.",
               "reasoning_details":[{"type":"reasoning.text","text":"Think.","signature":"c2ln","format":"anthropic-claude-v1","index":0}],
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}}]},
               "logprobs":null,"finish_reason":"tool_calls","native_finish_reason":"tool_use"}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":4,"cache_write_tokens":2},
               "completion_tokens_details":{"reasoning_tokens":0},"cost":0.00001,"is_byok":false,"cost_details":{"upstream_inference_cost":null}}}
            """;

        Assert.Equal(
            """
            {"id":"gen-1767000000-abc","type":"message","role":"assistant","model":"test/tri","content":[
            {"type":"thinking","thinking":"Think.","signature":"c2ln"},
            {"type":"text","text":"Hi"},
            {"type":"tool_use","id":"call_1","name":"get_weather","caller":{"type":"direct"},"input":{"city":"Paris"}}],
            "stop_reason":"tool_use","stop_sequence":null,
            "usage":{"input_tokens":6,"output_tokens":5,"cache_creation_input_tokens":2,"cache_read_input_tokens":4}}
            """.ReplaceLineEndings(""),
            Write(completion));
    }

    [Fact]
    public void Plain_answer_has_one_text_block_and_no_cache_counts()
    {
        Assert.Equal(
            """{"id":"gen-1","type":"message","role":"assistant","model":"test/tri","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""",
            Write(Completion("""{"role":"assistant","content":"Hello","reasoning":null,"refusal":null}""")));
    }

    [Theory]
    [InlineData("\"stop\"", "\"end_turn\"", "end_turn")]
    [InlineData("\"stop\"", "\"stop_sequence\"", "stop_sequence")]
    [InlineData("\"stop\"", "\"STOP\"", "end_turn")]
    [InlineData("\"length\"", "null", "max_tokens")]
    [InlineData("\"tool_calls\"", "null", "tool_use")]
    [InlineData("\"content_filter\"", "\"SAFETY\"", "refusal")]
    [InlineData("\"error\"", "null", "end_turn")]
    [InlineData("null", "null", "end_turn")]
    [InlineData("5", "null", "end_turn")]
    public void Finish_reason_maps_to_a_stop_reason(string finish, string native, string expected)
    {
        Assert.Equal(expected, WriteNode(Completion("""{"role":"assistant","content":"x"}""", finish, native))["stop_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"prompt_tokens":12,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4,"cache_write_tokens":2}}""", 6, 5, 2, 4)]
    [InlineData("""{"prompt_tokens":2,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4}}""", 0, 5, 0, 4)]
    [InlineData("""{"prompt_tokens":12,"completion_tokens":5,"prompt_tokens_details":null}""", 12, 5, 0, 0)]
    [InlineData("null", 0, 0, 0, 0)]
    public void Usage_excludes_cache_reads_and_writes_from_input_tokens(string usage, int input, int output, int creation, int read)
    {
        var written = WriteNode(Completion("""{"role":"assistant","content":"x"}""", usage: usage))["usage"]!;

        Assert.Equal((input, output, creation, read), (
            written["input_tokens"]!.GetValue<int>(), written["output_tokens"]!.GetValue<int>(),
            written["cache_creation_input_tokens"]!.GetValue<int>(), written["cache_read_input_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public void Thinking_blocks_come_from_details_with_entries_of_one_index_joined()
    {
        var content = WriteNode(Completion("""
            {"role":"assistant","content":"Answer","reasoning":"AB",
             "reasoning_details":[
               {"type":"reasoning.text","text":"A","index":0},{"type":"reasoning.text","text":"B","index":0},{"type":"reasoning.text","signature":"s0","index":0},
               {"type":"reasoning.encrypted","data":"opaque","index":1},
               {"type":"reasoning.summary","summary":"Summary","index":2}]}
            """))["content"]!;

        Assert.Equal(
            """[{"type":"thinking","thinking":"AB","signature":"s0"},{"type":"redacted_thinking","data":"opaque"},{"type":"thinking","thinking":"Summary","signature":""},{"type":"text","text":"Answer"}]""",
            content.ToJsonString());
    }

    [Theory]
    [InlineData("""{"role":"assistant","content":"x","reasoning":"Plain"}""", """[{"type":"thinking","thinking":"Plain","signature":""},{"type":"text","text":"x"}]""")]
    [InlineData("""{"role":"assistant","content":"x","reasoning":"Plain","reasoning_details":[{"type":"reasoning.text","signature":"s","index":0}]}""", """[{"type":"thinking","thinking":"Plain","signature":"s"},{"type":"text","text":"x"}]""")]
    [InlineData("""{"role":"assistant","content":"x","reasoning":"Plain","reasoning_details":[{"type":"reasoning.encrypted","data":"d"}]}""", """[{"type":"thinking","thinking":"Plain","signature":""},{"type":"redacted_thinking","data":"d"},{"type":"text","text":"x"}]""")]
    [InlineData("""{"role":"assistant","content":"x","reasoning":"","reasoning_details":[]}""", """[{"type":"text","text":"x"}]""")]
    [InlineData("""{"role":"assistant","content":"x","reasoning":5,"reasoning_details":{"a":1}}""", """[{"type":"text","text":"x"}]""")]
    public void Plain_reasoning_text_stands_in_when_the_details_have_none(string message, string expected)
    {
        Assert.Equal(expected, WriteNode(Completion(message))["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"role":"assistant","content":null}""", "[]")]
    [InlineData("""{"role":"assistant","content":""}""", "[]")]
    [InlineData("""{"role":"assistant"}""", "[]")]
    [InlineData("""{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}""", """[{"type":"text","text":"ab"}]""")]
    [InlineData("""{"role":"assistant","content":null,"refusal":"No."}""", """[{"type":"text","text":"No."}]""")]
    public void Content_is_a_string_or_text_parts_and_a_refusal_stands_in_for_none(string message, string expected)
    {
        Assert.Equal(expected, WriteNode(Completion(message))["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    [InlineData("\"null\"")]
    [InlineData("null")]
    public void Empty_arguments_are_an_empty_input(string arguments)
    {
        var call = WriteNode(Completion($$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"now","arguments":{{{arguments}}}}}]}""", "\"tool_calls\""))["content"]![0]!;

        Assert.Equal("""{"type":"tool_use","id":"c","name":"now","caller":{"type":"direct"},"input":{}}""", call.ToJsonString());
    }

    [Fact]
    public void Several_tool_calls_are_several_blocks_in_order_and_a_missing_id_is_made_up()
    {
        var content = WriteNode(Completion("""
            {"role":"assistant","content":null,"tool_calls":[
              {"id":"a","type":"function","function":{"name":"f","arguments":"{\"n\":1}"}},
              {"type":"function","function":{"name":"g","arguments":"{\"deep\":{\"x\":[1,2]}}"}}]}
            """, "\"tool_calls\""))["content"]!;

        Assert.Equal(
            """[{"type":"tool_use","id":"a","name":"f","caller":{"type":"direct"},"input":{"n":1}},{"type":"tool_use","id":"call_1","name":"g","caller":{"type":"direct"},"input":{"deep":{"x":[1,2]}}}]""",
            content.ToJsonString());
    }

    [Theory]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":null}""")]
    [InlineData("""{"choices":{}}""")]
    [InlineData("""{"choices":[5]}""")]
    [InlineData("""{"choices":[{"message":"hi"}]}""")]
    [InlineData("""{"choices":[{"delta":{"content":"hi"}}]}""")]
    [InlineData("""{"choices":[{"message":{"content":5}}]}""")]
    [InlineData("""{"choices":[{"message":{"content":"x","tool_calls":{}}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[5]}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"arguments":"{}"}}]}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"city\":"}}]}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"[1]"}}]}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":{"city":"Paris"}}}]}}]}""")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"a\":\"\\ud800\"}"}}]}}]}""")]
    [InlineData("""[1]""")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("""{"choices":[{"message":{"content":"\ud800"}}]}""")]
    public void A_completion_that_cannot_become_a_message_is_refused_with_nothing_written(string completion)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(MessagesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_sparse_completion_is_still_a_message()
    {
        Assert.Equal(
            """{"id":"","type":"message","role":"assistant","model":"","content":[{"type":"text","text":"x"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""",
            Write("""{"choices":[{"message":{"content":"x"}}]}"""));
    }

    [Fact]
    public void No_truncation_of_a_full_completion_throws()
    {
        var completion = Completion("""
            {"role":"assistant","content":"Hi","reasoning":"R","reasoning_details":[{"type":"reasoning.text","text":"R","signature":"s","index":0}],
             "tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{\"k\":[1,{\"z\":null}]}"}}]}
            """, "\"tool_calls\"");
        for (var i = 0; i < completion.Length; i++)
        {
            var output = new ArrayBufferWriter<byte>();
            if (MessagesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion[..i]), output))
            {
                JsonNode.Parse(output.WrittenSpan);
            }
        }
        Write(completion);
    }
}
