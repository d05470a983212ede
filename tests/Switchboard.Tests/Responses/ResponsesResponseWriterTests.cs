using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Responses;

namespace Switchboard.Tests.Responses;

/// <summary>The Responses <c>response</c> object a gateway chat.completion becomes.</summary>
public sealed class ResponsesResponseWriterTests
{
    private const string Usage = """
        "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"prompt_tokens_details":{"cached_tokens":100,"cache_write_tokens":5},"completion_tokens_details":{"reasoning_tokens":10},"cost":0.0001,"is_byok":false,"cost_details":{"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.00006,"upstream_inference_completions_cost":0.00004}}
        """;

    private const long CompletedAt = 1767000007;

    private static string Completion(string message, string finish = "stop") =>
        $$"""{"id":"gen-1767000000-abc","provider":"Alpha","model":"test/tri","object":"chat.completion","created":1767000000,"choices":[{"index":0,"message":{{message}},"finish_reason":"{{finish}}","native_finish_reason":"{{finish}}"}],{{Usage}}}""";

    private static string Write(string completion, string request = """{"input":"x"}""")
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output, ResponsesEcho.From(Encoding.UTF8.GetBytes(request)), CompletedAt));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Golden_response_with_reasoning_text_and_a_function_call()
    {
        var written = Write(
            Completion("""
                {"role":"assistant","content":"Checking.","reasoning":"Let me think.","reasoning_details":[{"type":"reasoning.text","text":"Let me think.","index":0},{"type":"reasoning.encrypted","data":"opaque","index":1}],
                 "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}
                """, "tool_calls"),
            """{"input":"x","instructions":"Be brief.","tools":[{"type":"function","name":"get_weather"}],"temperature":0.5,"metadata":{"k":"v"},"max_output_tokens":99,"user":"u"}""");
        Assert.Equal(
            """{"id":"gen-1767000000-abc","object":"response","created_at":1767000000,"completed_at":1767000007,"status":"completed","error":null,"incomplete_details":null,"model":"test/tri","frequency_penalty":null,"instructions":"Be brief.","max_output_tokens":99,"metadata":{"k":"v"},"parallel_tool_calls":true,"presence_penalty":null,"previous_response_id":null,"reasoning":{"effort":null,"summary":null}""" +
            ""","service_tier":"auto","temperature":0.5,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[{"type":"function","name":"get_weather"}],"top_p":null,"truncation":"disabled","user":"u","store":false,"background":false""" +
            ""","output":[{"id":"rs_1767000000-abc","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}],"encrypted_content":"opaque"},""" +
            """{"id":"msg_1767000000-abc","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Checking.","annotations":[],"logprobs":[]}]},""" +
            """{"id":"fc_1767000000-abc_0","type":"function_call","status":"completed","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}]""" +
            ""","usage":{"input_tokens":120,"input_tokens_details":{"cached_tokens":100,"cache_write_tokens":5},"output_tokens":40,"output_tokens_details":{"reasoning_tokens":10},"total_tokens":160,"cost":0.0001,"is_byok":false,"cost_details":{"upstream_inference_cost":null,"upstream_inference_input_cost":0.00006,"upstream_inference_output_cost":0.00004}}}""",
            written);
    }

    [Theory]
    [InlineData("length", "max_output_tokens")]
    [InlineData("content_filter", "content_filter")]
    public void A_cut_off_answer_is_incomplete_with_the_reason(string finish, string reason)
    {
        var response = JsonNode.Parse(Write(Completion("""{"role":"assistant","content":"tok1 tok2"}""", finish)))!;
        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal(reason, response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("incomplete", response["output"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_answer_is_still_one_message_and_a_call_only_answer_has_no_message()
    {
        var empty = JsonNode.Parse(Write(Completion("""{"role":"assistant","content":null}""")))!;
        Assert.Equal("message", empty["output"]!.AsArray().Single()!["type"]!.GetValue<string>());
        var calls = JsonNode.Parse(Write(Completion("""{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}""", "tool_calls")))!;
        Assert.Equal("function_call", calls["output"]!.AsArray().Single()!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[{"message":{"content":5}}]}""")]
    [InlineData("""{"choices":[{"message":{"content":"x","tool_calls":[{"function":{}}]}}]}""")]
    public void A_completion_that_cannot_be_a_response_writes_nothing(string completion)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(ResponsesResponseWriter.TryWrite(Encoding.UTF8.GetBytes(completion), output, ResponsesEcho.Defaults, CompletedAt));
        Assert.Equal(0, output.WrittenCount);
    }
}
