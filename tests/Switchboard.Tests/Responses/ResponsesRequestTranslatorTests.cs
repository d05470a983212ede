using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Requests;
using Switchboard.Responses;

namespace Switchboard.Tests.Responses;

/// <summary>What chat-completions body an OpenAI Responses request becomes, and which requests are refused.</summary>
public sealed class ResponsesRequestTranslatorTests
{
    /// <summary>The translation, checked to be a body the gateway's own chat parser accepts.</summary>
    internal static string Translate(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var error), error);
        Assert.Null(error);
        Assert.True(ChatRequestParser.TryParse(output.WrittenMemory.ToArray(), new RequestDefaults("default/model", false), out _, out var chatError), chatError?.Message);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static JsonObject TranslateNode(string body) => JsonNode.Parse(Translate(body))!.AsObject();

    private static string Refuse(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(ResponsesRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var error));
        Assert.Equal(0, output.WrittenCount); // nothing half-written for the caller to send by mistake
        return error!;
    }

    [Fact]
    public void A_string_input_becomes_one_user_message()
    {
        Assert.Equal(
            """{"model":"openai/gpt-5","messages":[{"role":"user","content":"Hello"}]}""",
            Translate("""{"model":"openai/gpt-5","input":"Hello"}"""));
    }

    [Fact]
    public void Full_request_translates_field_by_field()
    {
        var translated = Translate("""
            {"model":"openai/gpt-5","instructions":"Be brief.","max_output_tokens":300,"temperature":0.2,"top_p":0.9,
             "stream":true,"user":"u-1","metadata":{"k":"v"},"store":false,"include":["reasoning.encrypted_content"],
             "prompt_cache_key":"abc","truncation":"auto","service_tier":"auto","background":false,
             "parallel_tool_calls":false,"tool_choice":{"type":"function","name":"get_weather"},
             "tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}],
             "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},
             "reasoning":{"effort":"high","summary":"auto"},
             "provider":{"only":["alpha"]},"models":["a/b","c/d"],"plugins":[],"route":"fallback","usage":{"include":true},
             "input":[
               {"type":"message","role":"developer","content":[{"type":"input_text","text":"Use tools."}]},
               {"role":"user","content":[{"type":"input_text","text":"Weather?"},{"type":"input_image","image_url":"https://example.com/a.png","detail":"low"},
                 {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}]},
               {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking."}],"encrypted_content":"opaque"},
               {"type":"message","role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
               {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"},
               {"type":"function_call_output","call_id":"call_1","output":"18 C"},
               {"role":"user","content":"Thanks"}]}
            """);
        Assert.Equal(
            """{"model":"openai/gpt-5","messages":[{"role":"system","content":"Be brief."},{"role":"system","content":"Use tools."},""" +
            """{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},""" +
            """{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]},""" +
            """{"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]""" +
            ""","reasoning_details":[{"type":"reasoning.summary","summary":"Thinking.","index":0},{"type":"reasoning.encrypted","data":"opaque","index":0}]},""" +
            """{"role":"tool","tool_call_id":"call_1","content":"18 C"},{"role":"user","content":"Thanks"}]""" +
            ""","max_tokens":300,"temperature":0.2,"top_p":0.9,"stream":true,"stream_options":{"include_usage":true},"user":"u-1","tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}]""" +
            ""","parallel_tool_calls":false,"tool_choice":{"type":"function","function":{"name":"get_weather"}}""" +
            ""","response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}""" +
            ""","reasoning":{"effort":"high"},"models":["a/b","c/d"],"provider":{"only":["alpha"]},"route":"fallback","plugins":[],"usage":{"include":true}}""",
            translated);
    }

    [Fact]
    public void Codex_CLIs_captured_request_is_accepted_with_its_namespace_flattened_and_web_search_dropped()
    {
        var chat = TranslateNode(File.ReadAllText(ClientFixture("codex-request.json")));
        var names = chat["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("exec_command", names);
        Assert.Contains("spawn_agent", names); // from the multi_agent_v1 namespace
        Assert.All(chat["tools"]!.AsArray(), t => Assert.Equal("function", t!["type"]!.GetValue<string>()));
        Assert.Equal("auto", chat["tool_choice"]!.GetValue<string>());
        Assert.True(chat["stream"]!.GetValue<bool>());
        Assert.Null(chat["reasoning"]); // Codex asks for a summary only, no effort
        var roles = chat["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToList();
        Assert.Equal(["system", "system", "user", "user"], roles);
    }

    [Fact]
    public void Codex_CLIs_tool_result_turn_pairs_the_output_with_its_call()
    {
        var messages = TranslateNode(File.ReadAllText(ClientFixture("codex-tool-result-request.json")))["messages"]!.AsArray();
        var call = messages[^2]!;
        Assert.Equal("assistant", call["role"]!.GetValue<string>());
        Assert.Equal("exec_command", call["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("tool", messages[^1]!["role"]!.GetValue<string>());
        Assert.Equal(call["tool_calls"]![0]!["id"]!.GetValue<string>(), messages[^1]!["tool_call_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"text"}""", null)]
    [InlineData("""{"type":"json_object"}""", """{"type":"json_object"}""")]
    public void Text_formats_other_than_json_schema(string format, string? expected)
    {
        var chat = TranslateNode("""{"input":"x","text":{"format":""" + format + "}}");
        Assert.Equal(expected, chat["response_format"]?.ToJsonString());
    }

    [Fact]
    public void Tool_choice_strings_pass_and_without_tools_no_choice_is_sent()
    {
        const string Tool = """[{"type":"function","name":"f"}]""";
        foreach (var mode in (string[])["auto", "none", "required"])
        {
            Assert.Equal(mode, TranslateNode($$"""{"input":"x","tools":{{Tool}},"tool_choice":"{{mode}}"}""")["tool_choice"]!.GetValue<string>());
        }
        var dropped = TranslateNode("""{"input":"x","tools":[{"type":"web_search"}],"tool_choice":"auto","parallel_tool_calls":true}""");
        Assert.Null(dropped["tool_choice"]);
        Assert.Null(dropped["parallel_tool_calls"]);
        // A tool without parameters takes none, written as an empty object schema.
        Assert.Equal("""{"type":"object","properties":{}}""", TranslateNode("""{"input":"x","tools":""" + Tool + "}")["tools"]![0]!["function"]!["parameters"]!.ToJsonString());
    }

    [Fact]
    public void Reasoning_items_with_nothing_to_send_back_and_no_answer_after_them_are_dropped()
    {
        var messages = TranslateNode("""{"input":[{"role":"user","content":"a"},{"type":"reasoning","id":"rs","summary":[]},{"role":"user","content":"b"}]}""")["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
    }

    [Theory]
    [InlineData("""{"input":"x","store":true}""", "store: true is not supported; this gateway's Responses API is stateless")]
    [InlineData("""{"input":"x","previous_response_id":"resp_1"}""", "previous_response_id: not supported")]
    [InlineData("""{"input":"x","conversation":"conv_1"}""", "conversation: not supported")]
    [InlineData("""{"input":"x","background":true}""", "background: true is not supported")]
    [InlineData("""{"input":"x","prompt":{"id":"pmpt_1"}}""", "prompt: stored prompt templates")]
    [InlineData("""{"model":"a"}""", "input: required")]
    [InlineData("""{"input":5}""", "input: must be a string or an array")]
    [InlineData("""{"input":[]}""", "input: must contain at least one item")]
    [InlineData("""{"input":[1]}""", "input[0]: must be an object")]
    [InlineData("""{"input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0]: item_reference is not supported")]
    [InlineData("""{"input":[{"type":"computer_call_output"}]}""", "input[0].type: 'computer_call_output' items are not supported")]
    [InlineData("""{"input":[{"role":"tool","content":"x"}]}""", "input[0].role: must be one of")]
    [InlineData("""{"input":[{"role":"user"}]}""", "input[0].content: required")]
    [InlineData("""{"input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}""", "input[0].content[0].file_id: files uploaded to OpenAI are not available")]
    [InlineData("""{"input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}""", "input[0].content[0].file_id: files uploaded to OpenAI are not available")]
    [InlineData("""{"input":[{"role":"user","content":[{"type":"input_video"}]}]}""", "input[0].content[0].type: 'input_video' is not supported")]
    [InlineData("""{"input":[{"role":"system","content":[{"type":"input_image","image_url":"x"}]}]}""", "input[0].content[0].type: only text parts")]
    [InlineData("""{"input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id: required")]
    [InlineData("""{"input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}]}""", "input[0].arguments: must be a string of JSON")]
    [InlineData("""{"input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id: required")]
    [InlineData("""{"input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output: required")]
    [InlineData("""{"input":[{"type":"reasoning","summary":"x"}]}""", "input[0].summary: must be an array")]
    [InlineData("""{"input":"x","instructions":["a"]}""", "instructions: must be a string")]
    [InlineData("""{"input":"x","tools":{}}""", "tools: must be an array")]
    [InlineData("""{"input":"x","tools":[{"type":"file_search","vector_store_ids":["vs"]}]}""", "tools[0].type: the built-in tool 'file_search' is not supported")]
    [InlineData("""{"input":"x","tools":[{"type":"code_interpreter"}]}""", "tools[0].type: the built-in tool 'code_interpreter'")]
    [InlineData("""{"input":"x","tools":[{"type":"mcp","server_label":"s"}]}""", "tools[0].type: the built-in tool 'mcp'")]
    [InlineData("""{"input":"x","tools":[{"type":"custom","name":"c"}]}""", "tools[0].type: the built-in tool 'custom'")]
    [InlineData("""{"input":"x","tools":[{"type":"function"}]}""", "tools[0].name: required")]
    [InlineData("""{"input":"x","tools":[{"type":"function","name":"f","parameters":"x"}]}""", "tools[0].parameters: must be a JSON Schema object")]
    [InlineData("""{"input":"x","tools":[{"type":"namespace","name":"n","tools":[{"type":"namespace","name":"m","tools":[]}]}]}""", "tools[0].tools[0].type: the built-in tool 'namespace'")]
    [InlineData("""{"input":"x","tool_choice":"sometimes"}""", "tool_choice: 'sometimes' is not one of")]
    [InlineData("""{"input":"x","tool_choice":{"type":"file_search"}}""", "tool_choice.type: 'file_search' is not supported")]
    [InlineData("""{"input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function"}}""", "tool_choice.name: required")]
    [InlineData("""{"input":"x","tool_choice":{"type":"function","name":"g"}}""", "tool_choice.name: 'g' is not one of the function tools sent")]
    [InlineData("""{"input":"x","parallel_tool_calls":"yes"}""", "parallel_tool_calls: must be a boolean")]
    [InlineData("""{"input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name: required")]
    [InlineData("""{"input":"x","text":{"format":{"type":"json_schema","name":"a"}}}""", "text.format.schema: required")]
    [InlineData("""{"input":"x","text":{"format":{"type":"grammar"}}}""", "text.format.type: 'grammar' is not supported")]
    [InlineData("""{"input":"x","text":"json"}""", "text: must be an object")]
    [InlineData("""{"input":"x","reasoning":{"effort":3}}""", "reasoning.effort: must be a string")]
    [InlineData("""{"input":"x","reasoning":"high"}""", "reasoning: must be an object")]
    [InlineData("""{"input":"x","max_output_tokens":0}""", "max_output_tokens: must be a positive integer")]
    [InlineData("""{"input":"x","max_output_tokens":"10"}""", "max_output_tokens: must be a positive integer")]
    [InlineData("""{"input":"x","temperature":"hot"}""", "temperature: must be a number")]
    [InlineData("""{"input":"x","stream":"yes"}""", "stream: must be a boolean")]
    [InlineData("""{"input":"x","store":"no"}""", "store: must be a boolean")]
    [InlineData("""{"input":"x","metadata":{"a":1}}""", "metadata.a: must be a string")]
    [InlineData("""{"input":"x","include":"all"}""", "include: must be an array of strings")]
    [InlineData("""{"input":"x","user":5}""", "user: must be a string")]
    [InlineData("""{"input":"x","model":5}""", "model: must be a string")]
    [InlineData("""[1]""", "Request body must be a JSON object.")]
    [InlineData("""{"input":""", "Request body is not valid JSON")]
    public void Refusals_name_the_field_and_say_why(string body, string expected)
    {
        Assert.StartsWith(expected, Refuse(body));
    }

    internal static string ClientFixture(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "tests", "clients", "fixtures")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        return Path.Combine(directory!.FullName, "tests", "clients", "fixtures", name);
    }
}
