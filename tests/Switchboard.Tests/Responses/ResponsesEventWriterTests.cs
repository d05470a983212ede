using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Responses;

namespace Switchboard.Tests.Responses;

/// <summary>The Responses events a stream of the gateway's OpenAI chunks becomes.</summary>
public sealed class ResponsesEventWriterTests
{
    /// <summary>The clock a finished response's <c>completed_at</c> is read from.</summary>
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1767000007));

    private const string Head = """{"id":"gen-1767000000-abc","provider":"Alpha","model":"test/tri","object":"chat.completion.chunk","created":1767000000,""";

    private static string Chunk(string delta, string finish = "null") =>
        Head + $$"""
        "choices":[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}},"native_finish_reason":{{finish}}}]}
        """;

    private const string Usage = Head + """
        "choices":[],"usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,"prompt_tokens_details":{"cached_tokens":100},"completion_tokens_details":{"reasoning_tokens":10},"cost":0.0001,"is_byok":false,"cost_details":{"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.00006,"upstream_inference_completions_cost":0.00004}}}
        """;

    private static (string Text, ResponsesEventWriter Writer) Run(params string[] chunks)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ResponsesEventWriter(output, ResponsesEcho.From("""{"input":"x","instructions":"Be brief."}"""u8), Clock);
        foreach (var chunk in chunks)
        {
            writer.OnChunk(Encoding.UTF8.GetBytes(chunk));
        }
        return (Encoding.UTF8.GetString(output.WrittenSpan), writer);
    }

    /// <summary>The events, each framed as OpenAI frames them (its data's type is its name), numbered from 0 in order.</summary>
    internal static List<JsonObject> Events(string text)
    {
        Assert.EndsWith("\n\n", text);
        var events = new List<JsonObject>();
        foreach (var block in text[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject();
            Assert.Equal(lines[0]["event: ".Length..], data["type"]!.GetValue<string>());
            Assert.Equal(events.Count, data["sequence_number"]!.GetValue<int>());
            events.Add(data);
        }
        return events;
    }

    private static string Summary(JsonObject e)
    {
        var type = e["type"]!.GetValue<string>();
        var detail = e["delta"]?.GetValue<string>() ?? e["text"]?.GetValue<string>() ?? e["arguments"]?.GetValue<string>()
            ?? e["item"]?["type"]?.GetValue<string>() ?? e["response"]?["status"]?.GetValue<string>() ?? "";
        var index = e["output_index"] is { } i ? $"@{i}" : "";
        return $"{type}{index} {detail}".TrimEnd();
    }

    [Fact]
    public void Golden_stream_of_reasoning_text_and_two_interleaved_tool_calls()
    {
        var (text, writer) = Run(
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"reasoning":"Let me","reasoning_details":[{"type":"reasoning.text","text":"Let me","index":0}]}"""),
            Chunk("""{"reasoning":" think.","reasoning_details":[{"type":"reasoning.text","text":" think.","index":0}]}"""),
            Chunk("""{"content":"Hello"}"""),
            Chunk("""{"content":" there."}"""),
            Chunk("""{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"g","arguments":"{\"b\""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":":1}"}}]}"""),
            Chunk("{}", "\"tool_calls\""),
            Usage);

        var events = Events(text);
        Assert.Equal(
            [
                "response.created in_progress", "response.in_progress in_progress",
                "response.output_item.added@0 reasoning", "response.reasoning_summary_part.added@0",
                "response.reasoning_summary_text.delta@0 Let me", "response.reasoning_summary_text.delta@0  think.",
                "response.reasoning_summary_text.done@0 Let me think.", "response.reasoning_summary_part.done@0", "response.output_item.done@0 reasoning",
                "response.output_item.added@1 message", "response.content_part.added@1",
                "response.output_text.delta@1 Hello", "response.output_text.delta@1  there.",
                "response.output_text.done@1 Hello there.", "response.content_part.done@1", "response.output_item.done@1 message",
                "response.output_item.added@2 function_call", "response.output_item.added@3 function_call",
                "response.function_call_arguments.delta@3 {\"b\"", "response.function_call_arguments.delta@2 {}",
                "response.function_call_arguments.delta@3 :1}",
                "response.function_call_arguments.done@2 {}", "response.output_item.done@2 function_call",
                "response.function_call_arguments.done@3 {\"b\":1}", "response.output_item.done@3 function_call",
                "response.completed completed",
            ],
            events.Select(Summary));
        Assert.True(writer.Ended);
        var done = events[^1]["response"]!;
        Assert.Equal("gen-1767000000-abc", done["id"]!.GetValue<string>());
        Assert.Equal("Be brief.", done["instructions"]!.GetValue<string>());
        Assert.Equal(["reasoning", "message", "function_call", "function_call"], done["output"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal("call_b", done["output"]![3]!["call_id"]!.GetValue<string>());
        Assert.Equal("g", done["output"]![3]!["name"]!.GetValue<string>());
        Assert.Equal(120, done["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(100, done["usage"]!["input_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(10, done["usage"]!["output_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
        Assert.Equal(0.0001m, done["usage"]!["cost"]!.GetValue<decimal>());
        // OpenRouter's Responses names for the prompt's and the completion's shares, which its SDK requires.
        Assert.Equal(0.00006m, done["usage"]!["cost_details"]!["upstream_inference_input_cost"]!.GetValue<decimal>());
        Assert.Equal(0.00004m, done["usage"]!["cost_details"]!["upstream_inference_output_cost"]!.GetValue<decimal>());
        Assert.Equal(1767000007, done["completed_at"]!.GetValue<long>());
        Assert.Null(events[0]["response"]!["completed_at"]);
        var itemIds = events.Where(e => e["item_id"] is not null).Select(e => (e["output_index"]!.GetValue<int>(), e["item_id"]!.GetValue<string>())).Distinct().ToList();
        Assert.Equal(4, itemIds.Count); // one id per output item, the same on every event about it
        Assert.Equal("msg_1767000000-abc", itemIds.Single(i => i.Item1 == 1).Item2);
    }

    [Fact]
    public void Hitting_the_output_limit_ends_with_response_incomplete()
    {
        var events = Events(Run(Chunk("""{"content":"tok1"}"""), Chunk("{}", "\"length\""), Usage).Text);
        Assert.Equal("response.incomplete", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", events[^1]["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("incomplete", events.Single(e => e["type"]!.GetValue<string>() == "response.output_item.done")["item"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void The_gateways_error_chunk_ends_the_stream_with_response_failed_and_nothing_after()
    {
        var error = Head + """ "error":{"code":502,"message":"Upstream gone"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error","native_finish_reason":null}]}""";
        var (text, writer) = Run(Chunk("""{"content":"Hi"}"""), error, Usage);
        var events = Events(text);
        var failed = events[^1];
        Assert.Equal("response.failed", failed["type"]!.GetValue<string>());
        Assert.Equal("failed", failed["response"]!["status"]!.GetValue<string>());
        Assert.Equal("server_error", failed["response"]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Upstream gone", failed["response"]!["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>() == "response.completed");
        Assert.True(writer.Ended);
        writer.WriteKeepAlive();
    }

    [Fact]
    public void Keep_alives_are_comments_and_stop_once_ended()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ResponsesEventWriter(output, ResponsesEcho.Defaults, Clock);
        writer.WriteKeepAlive();
        Assert.Equal(": OPENROUTER PROCESSING\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
        writer.OnChunk(Encoding.UTF8.GetBytes(Chunk("""{"content":"x"}""")));
        writer.OnChunk(Encoding.UTF8.GetBytes(Usage));
        var length = output.WrittenCount;
        writer.WriteKeepAlive();
        writer.OnChunk(Encoding.UTF8.GetBytes(Chunk("""{"content":"late"}""")));
        Assert.Equal(length, output.WrittenCount);
    }

    [Fact]
    public void Encrypted_reasoning_alone_is_a_reasoning_item_without_summary_events()
    {
        var events = Events(Run(Chunk("""{"reasoning_details":[{"type":"reasoning.encrypted","data":"opaque","index":0}]}"""), Chunk("""{"content":"A"}"""), Chunk("{}", "\"stop\""), Usage).Text);
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>().StartsWith("response.reasoning_summary", StringComparison.Ordinal));
        var reasoning = events.First(e => e["type"]!.GetValue<string>() == "response.output_item.done")["item"]!;
        Assert.Equal("reasoning", reasoning["type"]!.GetValue<string>());
        Assert.Equal("opaque", reasoning["encrypted_content"]!.GetValue<string>());
    }
}
