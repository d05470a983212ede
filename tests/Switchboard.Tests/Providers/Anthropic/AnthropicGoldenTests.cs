using System.Text.Json.Nodes;
using Switchboard.Providers.Anthropic;
using Switchboard.Streaming;

namespace Switchboard.Tests.Providers.Anthropic;

/// <summary>Recorded Anthropic responses (see <see cref="AnthropicFixtures"/>) translate to exactly this OpenAI output.</summary>
public sealed class AnthropicGoldenTests
{
    private static readonly AnthropicAdapter Adapter = new();
    private static readonly Switchboard.Requests.ChatRequest PlainRequest = TranslationHarness.Request("""{"model":"test/model","messages":[{"role":"user","content":"hi"}]}""");

    [Fact]
    public void Recorded_tool_use_stream_becomes_text_then_an_indexed_tool_call_with_streamed_arguments()
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (chunks, step) = TranslationHarness.Stream(translator, AnthropicFixtures.ToolUseStream);

        Assert.Equal(StreamStep.Done, step);
        Assert.All(chunks, c => Assert.Equal("gen-1700000000-abcdefghijklmnopqrst", c["id"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("I'll check the current weather in Paris for you.", chunks.Text());
        var calls = chunks.SelectMany(c => c["choices"]![0]!["delta"]!["tool_calls"]?.AsArray() ?? []).ToList();
        Assert.All(calls, c => Assert.Equal(0, c!["index"]!.GetValue<int>())); // Claude's block index 1 is OpenAI's tool index 0
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", calls[0]!["id"]!.GetValue<string>());
        Assert.Equal("get_weather", calls[0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("", calls[0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("""{"location": "Paris"}""", string.Concat(calls.Select(c => c!["function"]!["arguments"]!.GetValue<string>())));
        var finish = chunks[^1]["choices"]![0]!;
        Assert.Equal("tool_calls", finish["finish_reason"]!.GetValue<string>());
        Assert.Equal("tool_use", finish["native_finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(chunks, c => c["usage"] is not null);
        Assert.Equal(377, translator.Usage!.PromptTokens);
        Assert.Equal(65, translator.Usage.CompletionTokens);
    }

    [Fact]
    public void Recorded_basic_stream_becomes_content_deltas_and_a_stop()
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (chunks, step) = TranslationHarness.Stream(translator, AnthropicFixtures.BasicStream);

        Assert.Equal(StreamStep.Done, step);
        Assert.Equal("Hello there!", chunks.Text());
        Assert.Equal(["Hello", " there", "!"], chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>()).Where(t => !string.IsNullOrEmpty(t)));
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("end_turn", chunks[^1]["choices"]![0]!["native_finish_reason"]!.GetValue<string>());
        Assert.Equal((11, 6), (translator.Usage!.PromptTokens, translator.Usage.CompletionTokens));
    }

    [Fact]
    public void Recorded_refusal_is_a_content_filter_finish_with_thinking_tokens_counted()
    {
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (chunks, _) = TranslationHarness.Stream(translator, AnthropicFixtures.RefusalStream);

        Assert.Equal("content_filter", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("refusal", chunks[^1]["choices"]![0]!["native_finish_reason"]!.GetValue<string>());
        Assert.Equal(67, translator.Usage!.ReasoningTokens);
        Assert.Equal(120, translator.Usage.CompletionTokens);
    }

    [Fact]
    public void Recorded_structured_output_message_becomes_a_chat_completion_with_the_json_as_content()
    {
        var request = TranslationHarness.Request("""{"model":"test/model","messages":[{"role":"user","content":"Extract"}],"response_format":{"type":"json_schema","json_schema":{"name":"order","schema":{"type":"object"}}}}""");

        var completion = TranslationHarness.Completion(Adapter, request, AnthropicFixtures.StructuredOutputMessage, out var result);

        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        var choice = completion["choices"]![0]!;
        var content = JsonNode.Parse(choice["message"]!["content"]!.GetValue<string>())!;
        Assert.Equal(14.0, content["total"]!.GetValue<double>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("end_turn", choice["native_finish_reason"]!.GetValue<string>());
        var usage = completion["usage"]!;
        Assert.Equal(406, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(50, usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(456, usage["total_tokens"]!.GetValue<int>());
        Assert.Equal(406, result.Usage!.PromptTokens);
    }

    [Fact]
    public void Cache_reads_and_writes_are_counted_once_each_in_prompt_tokens()
    {
        const string message = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":100,"cache_creation_input_tokens":50,"cache_read_input_tokens":900,"output_tokens":7}}
            """;

        var completion = TranslationHarness.Completion(Adapter, PlainRequest, message, out var result);

        var usage = completion["usage"]!;
        Assert.Equal(1050, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(900, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(50, usage["prompt_tokens_details"]!["cache_write_tokens"]!.GetValue<int>());
        Assert.Equal(1057, usage["total_tokens"]!.GetValue<int>());
        Assert.Equal((1050, 900, 50), (result.Usage!.PromptTokens, result.Usage.CachedTokens, result.Usage.CacheWriteTokens));
    }

    [Fact]
    public void Thinking_and_tool_use_blocks_become_reasoning_details_and_tool_calls()
    {
        const string message = """
            {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Need the weather.","signature":"EqQBCkYIBxgCKkB"},
                        {"type":"text","text":"Checking."},
                        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lyon"}},
                        {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":20}}
            """;

        var completion = TranslationHarness.Completion(Adapter, PlainRequest, message, out _);

        var choice = completion["choices"]![0]!;
        var reply = choice["message"]!;
        Assert.Equal("Checking.", reply["content"]!.GetValue<string>());
        Assert.Equal("Need the weather.", reply["reasoning"]!.GetValue<string>());
        var detail = reply["reasoning_details"]![0]!;
        Assert.Equal("reasoning.text", detail["type"]!.GetValue<string>());
        Assert.Equal("EqQBCkYIBxgCKkB", detail["signature"]!.GetValue<string>());
        Assert.Equal("anthropic-claude-v1", detail["format"]!.GetValue<string>());
        var calls = reply["tool_calls"]!.AsArray();
        Assert.Equal("""{"city":"Lyon"}""", calls[0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("{}", calls[1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void An_overloaded_error_event_fails_the_stream_with_529()
    {
        const string stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_3","type":"message","role":"assistant","content":[],"model":"claude","usage":{"input_tokens":5,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

            """;
        var translator = Adapter.CreateStreamTranslator(PlainRequest, TranslationHarness.Identity);

        var (_, step) = TranslationHarness.Stream(translator, stream);

        Assert.Equal(StreamStep.Failed, step);
        Assert.Equal(529, translator.Failure!.Status);
        Assert.Equal("Overloaded", translator.Failure.Message);
        Assert.True(translator.Failure.AllowsFallback);
    }
}
