using Switchboard.Providers;
using Switchboard.Streaming;
using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Recorded Gemini <c>alt=sse</c> streams replayed through the SSE reader and translated into OpenAI chunks.</summary>
public sealed class GeminiStreamTests
{
    [Fact]
    public void Text_stream_becomes_role_content_deltas_and_a_finish_with_the_last_usage_kept_back()
    {
        var run = Stream(GeminiFixtures.GoModelTextStream);

        Assert.Equal(StreamStep.Done, run.Step);
        AssertJson("""
            [
              {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": "Hello"}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": ", World!"}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {}, "finish_reason": "stop", "native_finish_reason": "STOP"}
            ]
            """, run.Deltas());
        Assert.All(run.Chunks, chunk =>
        {
            Assert.Equal(GenerationId, chunk["id"]!.GetValue<string>());
            Assert.Equal("chat.completion.chunk", chunk["object"]!.GetValue<string>());
            Assert.Equal("Google AI Studio", chunk["provider"]!.GetValue<string>());
            Assert.Equal("google/gemini-2.5-flash", chunk["model"]!.GetValue<string>());
            Assert.Null(chunk["usage"]); // the core sends usage once, at the end
        });
        var usage = run.Translator.Usage!;
        Assert.Equal((11, 22, 33, 18), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.ReasoningTokens));
        Assert.Equal("STOP", run.Translator.FinishReason);
    }

    [Fact]
    public void Whole_function_call_is_one_tool_call_delta_and_the_later_stop_finishes_as_tool_calls()
    {
        var run = Stream(GeminiFixtures.VercelToolCallStream);

        Assert.Equal(StreamStep.Done, run.Step);
        AssertJson("""
            [
              {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"reasoning_details": [{"type": "reasoning.text", "signature": "EqUCCqICAb4+9vsh8Pd5taZVoPzSvjWWwzBrvhEQWBLCGa7IdY8FBMm7Z6dCKFU3Ft0la15gF7RaHe1NlPRygQec0bFwPDfMwGcUOMNiJiNIKxusCs4ejCZRuouNYQ4etEIt7CujEUHiILLfZXSJZYhs4UCrD2bLqPq0sE0lWgYJnzHkkKUOnMsA2hKffAhtF4DWn5INYj8pPssvch/2VpDFW2F9XSE04zLDzkIWF2eztJX50Y0lTehRZC3FW7fOrXCzGx+PwdataD6eXlF5O1zn+86XtmktOs2DEp4o1PMvXFFAXe8GGvPt8Idf3UtHMq7AsapwMW9sjiKj+FJk54m+9LMTSaj7C86smfvoQryYBEHTVazr1bEnpl4bPG5JUtm2yAMkHj4=", "format": "google-gemini-v1", "index": 0}]},
               "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "call_8e091276fe7ba3b1e39f3c04", "type": "function", "function": {"name": "weather", "arguments": "{\"location\":\"San Francisco\"}"}}]},
               "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {}, "finish_reason": "tool_calls", "native_finish_reason": "STOP"}
            ]
            """, run.Deltas());
        Assert.Equal((29, 60), (run.Translator.Usage!.PromptTokens, run.Translator.Usage.CompletionTokens));
    }

    [Fact]
    public void Streamed_and_non_streamed_forms_of_one_generation_give_the_same_call_id()
    {
        var streamed = Stream(GeminiFixtures.VercelToolCallStream).Chunks[2]["choices"]![0]!["delta"]!["tool_calls"]![0]!["id"]!.GetValue<string>();
        var (_, completion) = Complete(GeminiFixtures.VercelToolCall);

        Assert.Equal(completion!["choices"]![0]!["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>(), streamed);
    }

    [Fact]
    public void Call_id_from_gemini_is_kept_and_text_before_the_call_streams_as_content()
    {
        var run = Stream(GeminiFixtures.VercelTextThenCallWithIdStream);

        Assert.Equal(StreamStep.Done, run.Step);
        var deltas = run.Deltas();
        Assert.Equal(5, deltas.Count);
        AssertJson("""{"content": "Let me check."}""", deltas[1]!["delta"]);
        Assert.StartsWith("EqsGCqgGARFNMg/oroYnrVkdoRE9", deltas[2]!["delta"]!["reasoning_details"]![0]!["signature"]!.GetValue<string>());
        AssertJson("""
            {"tool_calls": [{"index": 0, "id": "g1bmv6il", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"San Francisco\"}"}}]}
            """, deltas[3]!["delta"]);
        Assert.Equal("tool_calls", deltas[4]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Thought_parts_stream_as_reasoning_fragments_of_one_detail()
    {
        var run = Stream(GeminiFixtures.PydanticThinkingStreamExcerpt);

        Assert.Equal(StreamStep.Done, run.Step);
        const string First = "**Defining the Goal**\n\nI've homed in on the user's need: safe street crossing guidance. It's a straightforward task with clear safety parameters. My focus is now on extracting core safety principles for a successful outcome.\n\n\n";
        const string Second = "**Refining the Steps**\n\nI'm now detailing each step, starting with finding a safe crossing point. I've broken down safe and unsafe locations, explaining the reasoning behind each. Next, I'm defining \"edge\" in the second step, clarifying the vantage point. The goal is to provide specific, actionable advice.\n\n\n";
        var deltas = run.Deltas();
        Assert.Equal(5, deltas.Count);
        foreach (var (delta, text) in new[] { (deltas[1]!, First), (deltas[2]!, Second) })
        {
            Assert.Equal(text, delta["delta"]!["reasoning"]!.GetValue<string>());
            AssertJson($$"""[{"type": "reasoning.text", "text": {{System.Text.Json.JsonSerializer.Serialize(text)}}, "format": "google-gemini-v1", "index": 0}]""",
                delta["delta"]!["reasoning_details"]);
        }
        AssertJson("""{"content": ".\n\nBy following these steps, you can greatly reduce the risk of an accident. Stay alert and stay safe"}""", deltas[3]!["delta"]);
        Assert.Equal("stop", deltas[4]!["finish_reason"]!.GetValue<string>());
        var usage = run.Translator.Usage!;
        Assert.Equal((34, 387 + 759, 759), (usage.PromptTokens, usage.CompletionTokens, usage.ReasoningTokens));
    }

    [Fact]
    public void Crlf_framed_stream_keeps_only_the_last_cumulative_usage()
    {
        var run = Stream(GeminiFixtures.PydanticAfterToolResultStream, readSize: 1);

        Assert.Equal(StreamStep.Done, run.Step);
        AssertJson("""
            [
              {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": "The capital of Mexico"}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": " is Mexico City."}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {}, "finish_reason": "stop", "native_finish_reason": "STOP"}
            ]
            """, run.Deltas());
        Assert.Equal((165, 8), (run.Translator.Usage!.PromptTokens, run.Translator.Usage.CompletionTokens));
    }

    [Fact]
    public void Blocked_prompt_fails_the_stream_with_a_400_before_any_chunk()
    {
        var run = Stream(GeminiFixtures.VercelPromptBlockStream);

        Assert.Equal(StreamStep.Failed, run.Step);
        Assert.Empty(run.Chunks);
        Assert.Equal(FailureKind.HttpStatus, run.Translator.Failure!.Kind);
        Assert.Equal(400, run.Translator.Failure.Status);
        Assert.Contains("PROHIBITED_CONTENT", run.Translator.Failure.Message);
    }

    [Fact]
    public void Stream_closed_before_a_finish_reason_is_truncated()
    {
        var firstEventOnly = GeminiFixtures.GoModelTextStream[..(GeminiFixtures.GoModelTextStream.IndexOf("\n\n", StringComparison.Ordinal) + 2)];

        var run = Stream(firstEventOnly);

        Assert.Equal(StreamStep.Failed, run.Step);
        Assert.Equal(2, run.Chunks.Count); // role and "Hello" reached the client; the core ends the stream with an error chunk
        Assert.Equal(FailureKind.Truncated, run.Translator.Failure!.Kind);
    }

    /// <summary>SYNTHETIC: the in-band error event Google's SDKs check for, with the API's usual 503 message.</summary>
    [Fact]
    public void Error_event_fails_the_stream_with_its_code_and_message()
    {
        var firstEvent = GeminiFixtures.GoModelTextStream[..(GeminiFixtures.GoModelTextStream.IndexOf("\n\n", StringComparison.Ordinal) + 2)];

        var run = Stream(firstEvent + """
            data: {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}


            """);

        Assert.Equal(StreamStep.Failed, run.Step);
        Assert.Equal(FailureKind.InvalidResponse, run.Translator.Failure!.Kind);
        Assert.Equal(503, run.Translator.Failure.Status);
        Assert.Equal("The model is overloaded. Please try again later.", run.Translator.Failure.Message);
    }

    [Fact]
    public void Done_marker_from_a_relay_ends_the_stream_like_the_connection_closing()
    {
        var run = Stream(GeminiFixtures.GoModelTextStream + "\ndata: [DONE]\n\n");

        Assert.Equal(StreamStep.Done, run.Step);
        Assert.Equal(4, run.Chunks.Count);
    }

    [Fact]
    public void Event_that_is_not_json_fails_the_stream()
    {
        var run = Stream("data: {\"candidates\": [\n\n");

        Assert.Equal(StreamStep.Failed, run.Step);
        Assert.Equal(FailureKind.InvalidResponse, run.Translator.Failure!.Kind);
    }

    /// <summary>SYNTHETIC: two candidates (<c>n: 2</c>) interleaved in one stream, each with its own role, calls and finish.</summary>
    [Fact]
    public void Candidates_stream_as_separate_choices()
    {
        var run = Stream("""
            data: {"candidates": [{"content": {"role": "model", "parts": [{"text": "A"}]}, "index": 0}, {"content": {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {}}}]}, "index": 1}]}

            data: {"candidates": [{"content": {"role": "model", "parts": [{"text": "B"}]}, "finishReason": "STOP", "index": 0}, {"finishReason": "STOP", "index": 1}]}


            """);

        Assert.Equal(StreamStep.Done, run.Step);
        AssertJson("""
            [
              {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": "A"}, "finish_reason": null, "native_finish_reason": null},
              {"index": 1, "delta": {"role": "assistant", "content": ""}, "finish_reason": null, "native_finish_reason": null},
              {"index": 1, "delta": {"tool_calls": [{"index": 0, "id": "call_80c367eef7c752d796fc1870", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {"content": "B"}, "finish_reason": null, "native_finish_reason": null},
              {"index": 0, "delta": {}, "finish_reason": "stop", "native_finish_reason": "STOP"},
              {"index": 1, "delta": {}, "finish_reason": "tool_calls", "native_finish_reason": "STOP"}
            ]
            """, run.Deltas());
    }
}
