using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Chat;
using Switchboard.Messages;
using Switchboard.Requests;

namespace Switchboard.Tests.Messages;

/// <summary>What chat-completions body an Anthropic Messages request becomes, and which requests are refused.</summary>
public sealed class MessagesRequestTranslatorTests
{
    /// <summary>The translation, checked to be a body the gateway's own chat parser accepts.</summary>
    internal static string Translate(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(MessagesRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var error), error);
        Assert.Null(error);
        Assert.True(ChatRequestParser.TryParse(output.WrittenMemory.ToArray(), new RequestDefaults("default/model", false), out _, out var chatError), chatError?.Message);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static JsonObject TranslateNode(string body) => JsonNode.Parse(Translate(body))!.AsObject();

    private static string Refuse(string body) => Refuse(Encoding.UTF8.GetBytes(body));

    private static string Refuse(byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(MessagesRequestTranslator.TryTranslate(body, output, out var error));
        Assert.Equal(0, output.WrittenCount); // nothing half-written for the caller to send by mistake
        return error!;
    }

    [Fact]
    public void Minimal_request_becomes_a_user_message_with_the_same_model_and_max_tokens()
    {
        Assert.Equal(
            """{"model":"openai/gpt-5","messages":[{"role":"user","content":"Hello"}],"max_tokens":1024}""",
            Translate("""{"model":"openai/gpt-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]}"""));
    }

    [Fact]
    public void Full_request_translates_field_by_field()
    {
        var body = """
            {"model":"openai/gpt-5","max_tokens":2048,
             "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}],
             "messages":[
               {"role":"user","content":[
                 {"type":"text","text":"What is in these?","cache_control":{"type":"ephemeral","ttl":"5m"}},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0K"}},
                 {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                 {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}},
                 {"type":"document","source":{"type":"text","media_type":"text/plain","data":"Plain notes."},"cache_control":{"type":"ephemeral"}},
                 {"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]},
               {"role":"assistant","content":[
                 {"type":"thinking","thinking":"Let me look.","signature":"sig-1"},
                 {"type":"redacted_thinking","data":"opaque"},
                 {"type":"text","text":"Checking "},
                 {"type":"text","text":"the weather."},
                 {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city": "Paris", "units": ["c"]}}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_1","content":"18 °C"},
                 {"type":"text","text":"Thanks"}]}],
             "stop_sequences":["END"],"temperature":0.5,"top_p":0.9,"top_k":40,"stream":true,
             "metadata":{"user_id":"user-42"},
             "tools":[{"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true},
             "thinking":{"type":"enabled","budget_tokens":1024},
             "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},
             "provider":{"order":["Alpha"]},"transforms":[],"session_id":"s-1",
             "container":"c","service_tier":"auto","context_management":{},"mcp_servers":[]}
            """;

        var expected = """
            {"model":"openai/gpt-5","messages":[
            {"role":"system","content":"Be brief.\n\nAnswer in French."},
            {"role":"user","content":[
            {"type":"text","text":"What is in these?","cache_control":{"type":"ephemeral","ttl":"5m"}},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
            {"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},
            {"type":"text","text":"Plain notes.","cache_control":{"type":"ephemeral"}},
            {"type":"file","file":{"filename":"document.pdf","file_data":"https://example.com/a.pdf"}}]},
            {"role":"assistant","content":"Checking the weather.",
            "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"units\":[\"c\"]}"}}],
            "reasoning_details":[{"type":"reasoning.text","text":"Let me look.","signature":"sig-1","index":0},{"type":"reasoning.encrypted","data":"opaque","index":1}]},
            {"role":"tool","tool_call_id":"toolu_1","content":"18 °C"},
            {"role":"user","content":[{"type":"text","text":"Thanks"}]}],
            "max_tokens":2048,"temperature":0.5,"top_p":0.9,"top_k":40,"stop":["END"],
            "stream":true,"stream_options":{"include_usage":true},"user":"user-42",
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
            "tool_choice":"required","parallel_tool_calls":false,
            "response_format":{"type":"json_schema","json_schema":{"name":"output","schema":{"type":"object"},"strict":true}},
            "reasoning":{"max_tokens":1024},
            "provider":{"order":["Alpha"]},"transforms":[],"session_id":"s-1"}
            """.ReplaceLineEndings("");

        Assert.Equal(expected, Translate(body));
    }

    [Fact]
    public void Tool_results_come_first_in_their_turn_then_their_images_then_the_turns_own_content()
    {
        var body = TranslateNode("""
            {"max_tokens":100,"messages":[
              {"role":"user","content":"Look at both files."},
              {"role":"assistant","content":[{"type":"tool_use","id":"a","name":"read","input":{}},{"type":"tool_use","id":"b","name":"shot","input":{"x":1}}]},
              {"role":"user","content":[
                {"type":"text","text":"Here you go."},
                {"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"line 1"},{"type":"text","text":"line 2"}],"cache_control":{"type":"ephemeral"}},
                {"type":"tool_result","tool_use_id":"b","is_error":true,"content":[
                  {"type":"text","text":"partial"},
                  {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]},
                {"type":"tool_result","tool_use_id":"c"}]}]}
            """);

        var messages = body["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool", "tool", "tool", "user", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Null(messages[1]!["content"]); // calls only
        Assert.Equal("""{"role":"tool","tool_call_id":"a","content":"line 1\n\nline 2"}""", messages[2]!.ToJsonString());
        Assert.Equal("""{"role":"tool","tool_call_id":"b","content":"partial"}""", messages[3]!.ToJsonString()); // is_error: content as the tool wrote it
        Assert.Equal("""{"role":"tool","tool_call_id":"c","content":""}""", messages[4]!.ToJsonString());
        Assert.Equal("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}}]}""", messages[5]!.ToJsonString());
        Assert.Equal("""{"role":"user","content":[{"type":"text","text":"Here you go."}]}""", messages[6]!.ToJsonString());
        Assert.Equal("""{"x":1}""", messages[1]!["tool_calls"]![1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("{}", messages[1]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public void A_turn_of_tool_results_only_adds_no_empty_user_message()
    {
        var messages = TranslateNode("""
            {"max_tokens":100,"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"ok"}]}]}
            """)["messages"]!.AsArray();

        Assert.Equal(["assistant", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public void Without_a_model_the_body_names_none_so_the_account_default_applies()
    {
        var body = TranslateNode("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(body.ContainsKey("model"));
    }

    [Fact]
    public void System_blocks_with_a_cache_breakpoint_stay_separate_parts_that_keep_it()
    {
        var system = TranslateNode("""
            {"max_tokens":10,"system":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Today"}],
             "messages":[{"role":"user","content":"hi"}]}
            """)["messages"]![0]!;

        Assert.Equal("""{"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Today"}]}""", system.ToJsonString());
    }

    [Theory]
    [InlineData("\"system\":\"\",")]
    [InlineData("\"system\":[],")]
    [InlineData("\"system\":null,")]
    public void Empty_system_adds_no_system_message(string system)
    {
        var messages = TranslateNode($$"""{"max_tokens":10,{{system}}"messages":[{"role":"user","content":"hi"}]}""")["messages"]!.AsArray();

        Assert.Equal("user", Assert.Single(messages)!["role"]!.GetValue<string>());
    }

    [Fact]
    public void Assistant_text_with_a_cache_breakpoint_stays_parts_and_a_string_turn_stays_a_string()
    {
        var messages = TranslateNode("""
            {"max_tokens":10,"messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","content":[{"type":"text","text":"Hello","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":"again"},
              {"role":"assistant","content":"Prefill"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":""}]}]}
            """)["messages"]!.AsArray();

        Assert.Equal("""{"role":"assistant","content":[{"type":"text","text":"Hello","cache_control":{"type":"ephemeral"}}]}""", messages[1]!.ToJsonString());
        Assert.Equal("""{"role":"assistant","content":"Prefill"}""", messages[3]!.ToJsonString());
        // Consecutive same-role turns stay separate messages; an empty signature is left out.
        Assert.Equal("""{"role":"assistant","content":"","reasoning_details":[{"type":"reasoning.text","text":"hm","index":0}]}""", messages[4]!.ToJsonString());
    }

    [Fact]
    public void Document_given_as_content_becomes_its_parts()
    {
        var content = TranslateNode("""
            {"max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"content","content":[{"type":"text","text":"Chapter 1"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}},
              {"type":"document","source":{"type":"content","content":"Whole text"},"title":"T","context":"C","citations":{"enabled":true}}]}]}
            """)["messages"]![0]!["content"]!;

        Assert.Equal(
            """[{"type":"text","text":"Chapter 1"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"text","text":"Whole text"}]""",
            content.ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"tool_choice\":\"auto\"}")]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false}")]
    [InlineData("""{"type":"any"}""", "\"tool_choice\":\"required\"}")]
    [InlineData("""{"type":"none","disable_parallel_tool_use":true}""", "\"tool_choice\":\"none\"}")]
    [InlineData("""{"type":"tool","name":"f","disable_parallel_tool_use":false}""", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}")]
    public void Tool_choice_maps_to_openai(string choice, string expectedEnd)
    {
        var body = Translate($$"""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{"type":"object"},"type":"custom","strict":true}],"tool_choice":{{choice}}}""");

        Assert.EndsWith(""","parameters":{"type":"object"},"strict":true}}],""" + expectedEnd, body);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":4096}""", null, """{"max_tokens":4096}""")]
    [InlineData("""{"type":"enabled","budget_tokens":4096}""", "high", """{"max_tokens":4096}""")]
    [InlineData("""{"type":"adaptive"}""", null, """{"enabled":true}""")]
    [InlineData("""{"type":"adaptive","display":"summarized"}""", "low", """{"enabled":true,"effort":"low"}""")]
    [InlineData("""{"type":"disabled"}""", "high", """{"enabled":false}""")]
    [InlineData(null, "medium", """{"effort":"medium"}""")]
    [InlineData(null, "max", """{"effort":"max"}""")]
    [InlineData(null, null, null)]
    public void Thinking_and_effort_become_reasoning(string? thinking, string? effort, string? expected)
    {
        var extra = (thinking is null ? "" : $",\"thinking\":{thinking}") + (effort is null ? "" : $",\"output_config\":{{\"effort\":\"{effort}\"}}");

        var body = TranslateNode($$"""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]{{extra}}}""");

        Assert.Equal(expected, body["reasoning"]?.ToJsonString());
    }

    [Fact]
    public void Fallbacks_become_models_after_the_model()
    {
        var body = TranslateNode("""{"model":"a/one","fallbacks":["b/two","c/three"],"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("""["a/one","b/two","c/three"]""", body["models"]!.ToJsonString());
    }

    [Fact]
    public void OpenRouter_extras_pass_through_unchanged_and_a_direct_user_wins_over_metadata()
    {
        var body = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"meta"},
             "models":["x/y"],"route":"fallback","plugins":[{"id":"web"}],"usage":{"include":true},"user":"direct","stream":false}
            """);

        Assert.Equal(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":10,"stream":false,"models":["x/y"],"route":"fallback","plugins":[{"id":"web"}],"usage":{"include":true},"user":"direct"}""",
            body);
    }

    [Fact]
    public void Text_is_written_with_relaxed_escaping_and_comes_through_unchanged()
    {
        var body = Translate("""{"max_tokens":10,"messages":[{"role":"user","content":"Grüße 👋 <b>&"}]}""");

        Assert.Contains("Grüße ", body); // the relaxed encoder leaves non-ASCII and HTML characters alone (not the emoji)
        Assert.Contains("<b>&", body);
        Assert.Equal("Grüße 👋 <b>&", JsonNode.Parse(body)!["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[1]""", "Request body must be a JSON object.")]
    [InlineData("""{"max_tokens":10}""", "messages: required")]
    [InlineData("""{"max_tokens":10,"messages":{}}""", "messages: must be an array")]
    [InlineData("""{"max_tokens":10,"messages":[]}""", "messages: must contain at least one message")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: required")]
    [InlineData("""{"max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: must be a positive integer")]
    [InlineData("""{"max_tokens":1.5,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: must be a positive integer")]
    [InlineData("""{"max_tokens":"10","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: must be a positive integer")]
    [InlineData("""{"model":5,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "model: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[7]}""", "messages[0]: must be an object with role and content")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"tool","content":"x"}]}""", "messages[0].role: must be \"user\", \"assistant\" or \"system\"")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"system","content":[{"type":"image"}]}]}""", "messages[0].content: a system message holds text blocks only")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user"}]}""", "messages[0].content: must be a string or an array of content blocks")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"x"}]}]}""", "messages[1].content[0]: unknown block type 'x'")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"text":"a"}]}]}""", "messages[0].content[0].type: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":["a"]}]}""", "messages[0].content[0]: must be a content block object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":1}]}]}""", "messages[0].content[0].text: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":"yes"}]}]}""", "messages[0].content[0].cache_control: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"f","input":{}}]}]}""", "messages[0].content[0]: a 'tool_use' block cannot be in a user turn")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"a"}]}]}""", "messages[0].content[0]: a 'tool_result' block cannot be in an assistant turn")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"image","source":{"type":"url","url":"u"}}]}]}""", "messages[0].content[0]: a 'image' block cannot be in an assistant turn")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"server_tool_use","id":"s","name":"web_search","input":{}}]}]}""", "messages[0].content[0]: block type 'server_tool_use' is only available on Claude models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":[]}]}]}""", "messages[0].content[0]: block type 'web_search_tool_result' is only available on Claude models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}]}""", "messages[0].content[0].id: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","input":{}}]}]}""", "messages[0].content[0].name: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":"{}"}]}]}""", "messages[0].content[0].input: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"thinking","signature":"s"}]}]}""", "messages[0].content[0].thinking: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":3}]}]}""", "messages[0].content[0].signature: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"redacted_thinking"}]}]}""", "messages[0].content[0].data: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}""", "messages[0].content[0].tool_use_id: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","is_error":"yes"}]}]}""", "messages[0].content[0].is_error: must be a boolean")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":5}]}]}""", "messages[0].content[0].content: must be a string or an array of content blocks")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"tool_use"}]}]}]}""", "messages[0].content[0].content[0]: a 'tool_use' block cannot be in a tool result")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"image","source":{"type":"base64","data":"x"}}]}]}]}""", "messages[0].content[0].content[0].source.media_type: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image"}]}]}""", "messages[0].content[0].source: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png"}}]}]}""", "messages[0].content[0].source.data: must be a base64 string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url"}}]}]}""", "messages[0].content[0].source.url: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}""", "messages[0].content[0].source: file sources (Anthropic's Files API) are only available on Claude models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"svg"}}]}]}""", "messages[0].content[0].source.type: must be \"base64\" or \"url\"")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text"}}]}]}""", "messages[0].content[0].source.data: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":[{"type":"document"}]}}]}]}""", "messages[0].content[0].source.content[0]: a 'document' block cannot be in a document's content")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"file","file_id":"f"}}]}]}""", "messages[0].content[0].source: file sources (Anthropic's Files API) are only available on Claude models")]
    [InlineData("""{"max_tokens":10,"system":5,"messages":[{"role":"user","content":"hi"}]}""", "system: must be a string or an array of text blocks")]
    [InlineData("""{"max_tokens":10,"system":[{"type":"image"}],"messages":[{"role":"user","content":"hi"}]}""", "system[0]: must be a text block")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"stop_sequences":"END"}""", "stop_sequences: must be an array of strings")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"stop_sequences":["a",1]}""", "stop_sequences[1]: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature: must be a number")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"top_k":[]}""", "top_k: must be a number")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream: must be a boolean")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":"m"}""", "metadata: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":1}}""", "metadata.user_id: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":{}}""", "tools: must be an array")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools[0]: server tool 'web_search_20250305' is only available on Claude models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{}},{"type":"bash_20250124","name":"bash"}]}""", "tools[1]: server tool 'bash_20250124' is only available on Claude models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":1,"name":"f","input_schema":{}}]}""", "tools[0].type: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"input_schema":{}}]}""", "tools[0].name: must be a non-empty string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f"}]}""", "tools[0].input_schema: must be a JSON Schema object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{},"description":2}]}""", "tools[0].description: must be a string")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{},"strict":"no"}]}""", "tools[0].strict: must be a boolean")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":"auto"}""", "tool_choice: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"maybe"}}""", "tool_choice.type: must be")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool"}}""", "tool_choice.name: must be the name of a tool")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"auto","disable_parallel_tool_use":1}}""", "tool_choice.disable_parallel_tool_use: must be a boolean")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":true}""", "thinking: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled"}}""", "thinking.budget_tokens: must be a positive integer")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"deep"}}""", "thinking.type: must be")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"output_config":[]}""", "output_config: must be an object")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"output_config":{"effort":"extreme"}}""", "output_config.effort: must be")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"output_config":{"format":{"type":"json_object"}}}""", "output_config.format: must be")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"output_config":{"format":{"type":"json_schema"}}}""", "output_config.format.schema: must be a JSON Schema object")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"fallbacks":"b"}""", "fallbacks: must be an array of model ids")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"fallbacks":["a","b","c","d"]}""", "fallbacks: at most 3 models")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"fallbacks":["a"],"models":["b"]}""", "fallbacks: cannot be combined with models")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"fallbacks":["a"]}""", "fallbacks: needs model")]
    [InlineData("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"fallbacks":["a",""]}""", "fallbacks[1]: must be a non-empty string")]
    public void Invalid_requests_are_refused_with_a_message_naming_the_field(string body, string expected)
    {
        Assert.StartsWith(expected, Refuse(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]} {}""")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],}""")]
    [InlineData("nul")]
    public void Malformed_json_is_refused(string body)
    {
        Assert.StartsWith("Request body is not valid JSON", Refuse(body));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_naming_where_it_is()
    {
        Assert.StartsWith("messages[0].content: not valid UTF-8 text", Refuse("""{"max_tokens":10,"messages":[{"role":"user","content":"a\ud800b"}]}"""));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var body = Encoding.UTF8.GetBytes("""{"max_tokens":10,"messages":[{"role":"user","content":"a#b"}]}""");
        body[Array.IndexOf(body, (byte)'#')] = 0xC3; // a lead byte with no continuation

        Assert.Contains("not valid UTF-8 text", Refuse(body));
    }

    [Fact]
    public void Nesting_up_to_64_is_read_and_deeper_is_refused()
    {
        // The schema sits at depth 4 (body, tools, tool, input_schema); each {"a": adds one more.
        static string Body(int depth) =>
            $$"""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":{{string.Concat(Enumerable.Repeat("{\"a\":", depth - 4))}}{}{{new string('}', depth - 4)}}}]}""";

        Assert.Contains("\"parameters\":{\"a\":", Translate(Body(64)));
        Assert.StartsWith("Request body is not valid JSON", Refuse(Body(65)));
    }

    [Fact]
    public void No_truncation_or_corruption_of_a_full_request_throws()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"model":"m","max_tokens":64,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":[{"type":"text","text":"é"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}}]},
              {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"tool_use","id":"a","name":"f","input":{"k":[1,true,null]}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"r"}]}]}],
             "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"},"thinking":{"type":"enabled","budget_tokens":1024}}
            """);
        var replacements = new byte[] { (byte)'"', (byte)'{', (byte)']', (byte)'1', (byte)'n', 0xFF, (byte)'\\' };

        for (var i = 0; i < body.Length; i++)
        {
            TryAll(body.AsSpan(0, i).ToArray());
            foreach (var replacement in replacements)
            {
                var corrupt = (byte[])body.Clone();
                corrupt[i] = replacement;
                TryAll(corrupt);
            }
        }

        static void TryAll(byte[] input)
        {
            var output = new ArrayBufferWriter<byte>();
            if (MessagesRequestTranslator.TryTranslate(input, output, out var error))
            {
                Assert.Null(error);
                JsonNode.Parse(output.WrittenSpan); // what it does write is JSON
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }
}
