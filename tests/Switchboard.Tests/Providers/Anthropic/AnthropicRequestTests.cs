using System.Text.Json.Nodes;
using Switchboard.Providers.Anthropic;

namespace Switchboard.Tests.Providers.Anthropic;

/// <summary>What the Anthropic adapter sends for a given OpenAI request.</summary>
public sealed class AnthropicRequestTests
{
    private static readonly AnthropicAdapter Adapter = new();

    private static JsonObject Translate(string request, int? maxCompletionTokens = 8192, params string[] supported) =>
        TranslationHarness.UpstreamBody(Adapter, TranslationHarness.Request(request), TranslationHarness.Endpoint("claude-x", maxCompletionTokens, supported), out _);

    [Fact]
    public void Headers_carry_the_key_and_api_version_and_the_url_ends_in_messages()
    {
        TranslationHarness.UpstreamBody(Adapter, TranslationHarness.Request("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""), TranslationHarness.Endpoint(), out var message);

        Assert.Equal("http://127.0.0.1:1/v1/messages", message.RequestUri!.ToString());
        Assert.Equal("secret-key", message.Headers.GetValues("x-api-key").Single());
        Assert.Equal("2023-06-01", message.Headers.GetValues("anthropic-version").Single());
        Assert.False(message.Headers.Contains("Authorization"));
    }

    [Fact]
    public void System_and_developer_messages_merge_into_system_and_same_role_turns_merge()
    {
        var body = Translate("""
            {"model":"m","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"One."},
              {"role":"developer","content":[{"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":"Two."},
              {"role":"assistant","content":"Un. "},
              {"role":"assistant","content":"Deux.  "}]}
            """);

        Assert.Equal("claude-x", body["model"]!.GetValue<string>());
        var system = body["system"]!.AsArray();
        Assert.Equal(["Be brief.", "Use French."], system.Select(b => b!["text"]!.GetValue<string>()));
        Assert.Equal("ephemeral", system[1]!["cache_control"]!["type"]!.GetValue<string>());
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["user", "assistant"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(["One.", "Two."], messages[0]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()));
        Assert.Equal(["Un. ", "Deux."], messages[1]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>())); // final prefill trimmed
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":300,"messages":[{"role":"user","content":"x"}]}""", 300)]
    [InlineData("""{"model":"m","max_completion_tokens":200,"messages":[{"role":"user","content":"x"}]}""", 200)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", 8192)]
    public void Max_tokens_comes_from_the_request_else_the_catalog_limit(string request, int expected)
    {
        Assert.Equal(expected, Translate(request)["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Max_tokens_falls_back_to_a_default_when_the_catalog_has_no_limit()
    {
        Assert.Equal(AnthropicRequestWriter.DefaultMaxTokens, Translate("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", maxCompletionTokens: null)["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Images_become_base64_or_url_sources_and_cache_control_passes_through()
    {
        var body = Translate("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="},"cache_control":{"type":"ephemeral","ttl":"1h"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}
            """);

        var blocks = body["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("base64", blocks[1]!["source"]!["type"]!.GetValue<string>());
        Assert.Equal("image/png", blocks[1]!["source"]!["media_type"]!.GetValue<string>());
        Assert.Equal("iVBORw0KGgo=", blocks[1]!["source"]!["data"]!.GetValue<string>());
        Assert.Equal("1h", blocks[1]!["cache_control"]!["ttl"]!.GetValue<string>());
        Assert.Equal("url", blocks[2]!["source"]!["type"]!.GetValue<string>());
        Assert.Equal("https://example.com/cat.jpg", blocks[2]!["source"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void Tool_calls_and_results_land_in_the_blocks_claude_requires()
    {
        var body = Translate("""
            {"model":"m","messages":[
              {"role":"user","content":"Weather in Lyon and Nice?"},
              {"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}},
                 {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Nice\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"12C"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"18C"}]},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"required","parallel_tool_calls":false}
            """);

        var messages = body["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        var uses = messages[1]!["content"]!.AsArray();
        Assert.Equal("tool_use", uses[0]!["type"]!.GetValue<string>());
        Assert.Equal("call_1", uses[0]!["id"]!.GetValue<string>());
        Assert.Equal("Lyon", uses[0]!["input"]!["city"]!.GetValue<string>());
        var results = messages[2]!["content"]!.AsArray();
        Assert.Equal(["tool_result", "tool_result", "text"], results.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("call_1", results[0]!["tool_use_id"]!.GetValue<string>());
        Assert.Equal("12C", results[0]!["content"]!.GetValue<string>());
        Assert.Equal("18C", results[1]!["content"]![0]!["text"]!.GetValue<string>());
        var tool = body["tools"]![0]!;
        Assert.Equal("get_weather", tool["name"]!.GetValue<string>());
        Assert.Equal("object", tool["input_schema"]!["type"]!.GetValue<string>());
        Assert.Equal("any", body["tool_choice"]!["type"]!.GetValue<string>());
        Assert.True(body["tool_choice"]!["disable_parallel_tool_use"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("\"auto\"", "auto", null)]
    [InlineData("\"none\"", "none", null)]
    [InlineData("\"required\"", "any", null)]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", "tool", "f")]
    public void Tool_choice_maps_to_claudes_vocabulary(string choice, string type, string? name)
    {
        var body = Translate("""{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":""" + choice + "}");

        Assert.Equal(type, body["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal(name, body["tool_choice"]!["name"]?.GetValue<string>());
    }

    [Fact]
    public void Sampling_stop_and_user_are_mapped()
    {
        var body = Translate("""{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":1.7,"top_p":0.9,"top_k":40,"stop":["END"," "],"user":"user-42"}""");

        Assert.Equal(1, body["temperature"]!.GetValue<double>()); // clamped to Claude's range
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>());
        Assert.Equal(40, body["top_k"]!.GetValue<int>());
        Assert.Equal(["END"], body["stop_sequences"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("user-42", body["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Null(body["stream"]);
    }

    [Theory]
    [InlineData("""{"effort":"high"}""", 8192, 6553)]
    [InlineData("""{"effort":"low"}""", 8192, 1638)]
    [InlineData("""{"max_tokens":3000}""", 8192, 3000)]
    public void Reasoning_becomes_a_thinking_budget(string reasoning, int maxTokens, int budget)
    {
        var body = Translate($$"""{"model":"m","messages":[{"role":"user","content":"x"}],"reasoning":{{reasoning}}}""");

        Assert.Equal(maxTokens, body["max_tokens"]!.GetValue<int>());
        Assert.Equal("enabled", body["thinking"]!["type"]!.GetValue<string>());
        Assert.Equal(budget, body["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void A_small_max_tokens_grows_to_fit_the_minimum_thinking_budget()
    {
        var body = Translate("""{"model":"m","max_tokens":500,"messages":[{"role":"user","content":"x"}],"reasoning_effort":"medium"}""");

        Assert.Equal(1024, body["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.Equal(1524, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Signed_thinking_from_the_previous_turn_goes_back_first_joined_by_index()
    {
        var body = Translate("""
            {"model":"m","reasoning":{"effort":"low"},"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":"Let me check.","reasoning_details":[
                 {"type":"reasoning.text","text":"The user wants ","format":"anthropic-claude-v1","index":0},
                 {"type":"reasoning.text","text":"weather.","format":"anthropic-claude-v1","index":0},
                 {"type":"reasoning.text","signature":"SIG==","format":"anthropic-claude-v1","index":0}],
               "tool_calls":[{"id":"toolu_9","type":"function","function":{"name":"w","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"toolu_9","content":"sunny"}],
             "tools":[{"type":"function","function":{"name":"w","parameters":{"type":"object"}}}]}
            """);

        var assistant = body["messages"]![1]!["content"]!.AsArray();
        Assert.Equal(["thinking", "text", "tool_use"], assistant.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("The user wants weather.", assistant[0]!["thinking"]!.GetValue<string>());
        Assert.Equal("SIG==", assistant[0]!["signature"]!.GetValue<string>());
    }

    [Fact]
    public void Json_schema_uses_structured_outputs_where_the_endpoint_supports_them()
    {
        var body = Translate("""{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}}""",
            8192, "structured_outputs");

        Assert.Equal("json_schema", body["output_config"]!["format"]!["type"]!.GetValue<string>());
        Assert.Equal("string", body["output_config"]!["format"]!["schema"]!["properties"]!["a"]!["type"]!.GetValue<string>());
        Assert.Null(body["tools"]);
    }

    [Fact]
    public void Json_schema_elsewhere_forces_a_tool_whose_schema_is_the_requested_one()
    {
        var body = Translate("""{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"array","items":{"type":"integer"}}}}}""");

        var tool = body["tools"]![0]!;
        Assert.Equal(AnthropicJsonOutput.ToolName, tool["name"]!.GetValue<string>());
        Assert.Equal("array", tool["input_schema"]!["properties"]!["value"]!["type"]!.GetValue<string>()); // wrapped: tool inputs are objects
        Assert.Equal("tool", body["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal(AnthropicJsonOutput.ToolName, body["tool_choice"]!["name"]!.GetValue<string>());
        Assert.Null(body["output_config"]);
    }

    [Fact]
    public void A_forced_json_tool_answer_is_returned_as_content_not_as_a_tool_call()
    {
        var request = TranslationHarness.Request("""{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"out","schema":{"type":"array","items":{"type":"integer"}}}}}""");
        const string message = """
            {"id":"msg_4","type":"message","role":"assistant","model":"claude","content":[{"type":"tool_use","id":"toolu_j","name":"json_response","input":{"value":[1,2,3]}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":9}}
            """;

        var completion = TranslationHarness.Completion(Adapter, request, message, out _);

        var choice = completion["choices"]![0]!;
        Assert.Equal("[1,2,3]", choice["message"]!["content"]!.GetValue<string>());
        Assert.Null(choice["message"]!["tool_calls"]);
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("tool_use", choice["native_finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_tool_result_for_no_call_of_the_turn_before_goes_as_text_which_Claude_accepts()
    {
        var body = Translate("""
            {"model":"m","messages":[
              {"role":"user","content":"x"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"one"},
              {"role":"tool","tool_call_id":"c9","content":[{"type":"text","text":"nine"}]},
              {"role":"assistant","content":"", "function_call":{"name":"g","arguments":"{}"}},
              {"role":"function","name":"g","content":"legacy"}]}
            """);

        var results = body["messages"]![2]!["content"]!.AsArray();
        Assert.Equal("tool_result", results[0]!["type"]!.GetValue<string>());
        Assert.Equal("c1", results[0]!["tool_use_id"]!.GetValue<string>());
        Assert.Equal("Result of tool call c9: nine", results[1]!["text"]!.GetValue<string>());
        Assert.Equal("Result of function g: legacy", results[2]!["text"]!.GetValue<string>());
    }
}
