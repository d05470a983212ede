using Switchboard.Providers;
using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Non-streamed Gemini responses, recorded from the real API, translated into OpenAI completions.</summary>
public sealed class GeminiCompletionTests
{
    [Fact]
    public void Text_with_signature_becomes_content_with_a_signed_reasoning_detail_and_thoughts_in_completion_usage()
    {
        var (result, completion) = Complete(GeminiFixtures.VercelText);

        Assert.Null(result.Failure);
        AssertJson($$"""
            {
              "id": "{{GenerationId}}", "provider": "Google AI Studio", "model": "google/gemini-2.5-flash",
              "object": "chat.completion", "created": 1700000000, "system_fingerprint": null,
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
                  "refusal": null,
                  "reasoning": "",
                  "reasoning_details": [{
                    "type": "reasoning.text",
                    "signature": "EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg",
                    "format": "google-gemini-v1",
                    "index": 0
                  }]
                },
                "logprobs": null,
                "finish_reason": "stop",
                "native_finish_reason": "STOP"
              }],
              "usage": {
                "prompt_tokens": 9, "completion_tokens": 272, "total_tokens": 281,
                "prompt_tokens_details": { "cached_tokens": 0, "cache_write_tokens": 0 },
                "completion_tokens_details": { "reasoning_tokens": 244 }
              }
            }
            """, completion);
        Assert.Equal("STOP", result.FinishReason);
        Assert.Equal((9, 272, 244), (result.Usage!.PromptTokens, result.Usage.CompletionTokens, result.Usage.ReasoningTokens));
    }

    [Fact]
    public void Function_call_becomes_a_tool_call_with_compact_arguments_a_stable_id_and_finish_reason_tool_calls()
    {
        var (result, completion) = Complete(GeminiFixtures.VercelToolCall);

        Assert.Null(result.Failure);
        AssertJson("""
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": null,
                "refusal": null,
                "reasoning": "",
                "reasoning_details": [{
                  "type": "reasoning.text",
                  "signature": "EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5",
                  "format": "google-gemini-v1",
                  "index": 0
                }],
                "tool_calls": [{
                  "id": "call_8e091276fe7ba3b1e39f3c04",
                  "type": "function",
                  "function": { "name": "weather", "arguments": "{\"location\":\"San Francisco\"}" }
                }]
              },
              "logprobs": null,
              "finish_reason": "tool_calls",
              "native_finish_reason": "STOP"
            }
            """, completion!["choices"]![0]);
        Assert.Equal(937, result.Usage!.TotalTokens);
    }

    [Fact]
    public void Blocked_prompt_is_a_400_that_goes_back_to_the_client_without_fallback()
    {
        var (result, completion) = Complete(GeminiFixtures.VercelPromptBlock);

        Assert.Null(completion);
        var failure = result.Failure!;
        Assert.Equal(FailureKind.HttpStatus, failure.Kind);
        Assert.Equal(400, failure.Status);
        Assert.Equal("Gemini blocked the prompt (PROHIBITED_CONTENT).", failure.Message);
        Assert.False(failure.AllowsFallback);
        Assert.Contains("\"blockReason\": \"PROHIBITED_CONTENT\"", failure.Raw);
    }

    [Fact]
    public void Error_object_in_a_200_is_an_invalid_response_carrying_its_code()
    {
        var (result, completion) = Complete(GeminiFixtures.VercelThinkingLevel400);

        Assert.Null(completion);
        Assert.Equal(FailureKind.InvalidResponse, result.Failure!.Kind);
        Assert.Equal(400, result.Failure.Status);
        Assert.Equal("Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.", result.Failure.Message);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"candidates": []}""")]
    [InlineData("[1, 2]")]
    public void Unreadable_or_empty_body_is_an_invalid_response(string body)
    {
        var (result, completion) = Complete(body);

        Assert.Null(completion);
        Assert.Equal(FailureKind.InvalidResponse, result.Failure!.Kind);
        Assert.True(result.Failure.AllowsFallback);
    }

    /// <summary>
    /// SYNTHETIC (no small real recording has both): thought parts as Gemini 2.5 returns them with
    /// <c>includeThoughts</c>, a signature on the first of two parallel calls, a second candidate stopped by the
    /// safety filter with no content, and cached plus tool-use prompt tokens.
    /// </summary>
    [Fact]
    public void Thoughts_parallel_calls_candidates_and_cache_translate_together()
    {
        var (result, completion) = Complete("""
            {"candidates": [
              {"content": {"role": "model", "parts": [
                 {"text": "Weighing the cities. ", "thought": true},
                 {"text": "Comparing both.", "thought": true},
                 {"text": "Checking both cities."},
                 {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "c2lnLTE="},
                 {"functionCall": {"name": "get_weather", "args": {"city": "Tokyo"}}}]},
               "finishReason": "STOP", "index": 0},
              {"finishReason": "SAFETY", "index": 1}],
             "usageMetadata": {"promptTokenCount": 120, "cachedContentTokenCount": 100, "toolUsePromptTokenCount": 5,
               "candidatesTokenCount": 30, "thoughtsTokenCount": 70, "totalTokenCount": 225}}
            """);

        var first = completion!["choices"]![0]!;
        Assert.Equal("Checking both cities.", first["message"]!["content"]!.GetValue<string>());
        Assert.Equal("Weighing the cities. Comparing both.", first["message"]!["reasoning"]!.GetValue<string>());
        AssertJson("""
            [{"type": "reasoning.text", "text": "Weighing the cities. Comparing both.", "signature": "c2lnLTE=", "format": "google-gemini-v1", "index": 0}]
            """, first["message"]!["reasoning_details"]);
        AssertJson("""
            [{"id": "call_8e091276fe7ba3b1e39f3c04", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
             {"id": "call_d22506ce10bc9cd363bf0783", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Tokyo\"}"}}]
            """, first["message"]!["tool_calls"]);
        Assert.Equal("tool_calls", first["finish_reason"]!.GetValue<string>());

        var second = completion["choices"]![1]!;
        Assert.Equal(1, second["index"]!.GetValue<int>());
        Assert.Equal("", second["message"]!["content"]!.GetValue<string>());
        Assert.Equal("content_filter", second["finish_reason"]!.GetValue<string>());
        Assert.Equal("SAFETY", second["native_finish_reason"]!.GetValue<string>());

        AssertJson("""
            {"prompt_tokens": 125, "completion_tokens": 100, "total_tokens": 225,
             "prompt_tokens_details": {"cached_tokens": 100, "cache_write_tokens": 0},
             "completion_tokens_details": {"reasoning_tokens": 70}}
            """, completion["usage"]);
        Assert.Equal(100, result.Usage!.CachedTokens);
    }

    [Theory]
    [InlineData("STOP", false, "stop")]
    [InlineData("STOP", true, "tool_calls")]
    [InlineData("MAX_TOKENS", false, "length")]
    [InlineData("MAX_TOKENS", true, "length")]
    [InlineData("SAFETY", false, "content_filter")]
    [InlineData("RECITATION", false, "content_filter")]
    [InlineData("PROHIBITED_CONTENT", false, "content_filter")]
    [InlineData("SPII", false, "content_filter")]
    [InlineData("BLOCKLIST", false, "content_filter")]
    [InlineData("IMAGE_SAFETY", false, "content_filter")]
    [InlineData("LANGUAGE", false, "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", false, "stop")]
    [InlineData("OTHER", false, "stop")]
    [InlineData("FINISH_REASON_UNSPECIFIED", false, "stop")]
    [InlineData(null, false, "stop")]
    public void Finish_reasons_map_to_openai_values(string? native, bool hasToolCalls, string expected) =>
        Assert.Equal(expected, Switchboard.Providers.Gemini.GeminiFinishReasons.Map(native, hasToolCalls));
}
