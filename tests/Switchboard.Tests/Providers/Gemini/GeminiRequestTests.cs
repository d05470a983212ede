using static Switchboard.Tests.Providers.Gemini.GeminiTestKit;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>The Gemini <c>GenerateContentRequest</c> built from an OpenAI chat request, compared whole where it matters.</summary>
public sealed class GeminiRequestTests
{
    [Theory]
    [InlineData(false, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", "application/json")]
    [InlineData(true, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "text/event-stream")]
    public void Request_goes_to_the_model_method_with_the_key_in_a_header(bool stream, string url, string accept)
    {
        using var upstream = Upstream($$"""{"model":"google/gemini-2.5-flash","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""");

        var message = upstream.Message;
        Assert.Equal(HttpMethod.Post, message.Method);
        Assert.Equal(url, message.RequestUri!.AbsoluteUri);
        Assert.Equal("test-key", Assert.Single(message.Headers.GetValues("x-goog-api-key")));
        Assert.Equal(accept, Assert.Single(message.Headers.Accept).MediaType);
        Assert.Null(message.Headers.Authorization);
        Assert.Equal("application/json", message.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Model_with_its_collection_keeps_the_collection_in_the_path()
    {
        using var upstream = Upstream("""{"model":"x","messages":[{"role":"user","content":"Hi"}]}""", Endpoint("tunedModels/my-model-7"));

        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-7:generateContent", upstream.Message.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public void System_and_developer_messages_become_the_system_instruction_in_order()
    {
        var body = Body("""
            {"model": "google/gemini-2.5-flash", "user": "u-1", "logit_bias": {"1": 2}, "messages": [
              {"role": "system", "content": "Be brief."},
              {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
              {"role": "user", "content": "Hello"},
              {"role": "system", "content": "Never mention the weather."},
              {"role": "user", "content": [{"type": "text", "text": "How are you?"}]}
            ]}
            """);

        AssertJson("""
            {
              "contents": [{"role": "user", "parts": [{"text": "Hello"}, {"text": "How are you?"}]}],
              "systemInstruction": {"parts": [{"text": "Be brief."}, {"text": "Answer in French."}, {"text": "Never mention the weather."}]}
            }
            """, body);
    }

    [Fact]
    public void Image_parts_become_inline_data_or_file_data_with_a_mime_type()
    {
        var body = Body("""
            {"model": "m", "messages": [{"role": "user", "content": [
              {"type": "text", "text": "Compare these."},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.webp?size=large", "detail": "high"}},
              {"type": "image_url", "image_url": {"url": "https://example.com/photo"}},
              {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
              {"type": "file", "file": {"filename": "a.pdf", "file_data": "data:application/pdf;base64,JVBERi0x"}}
            ]}]}
            """);

        AssertJson("""
            [
              {"text": "Compare these."},
              {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
              {"fileData": {"mimeType": "image/webp", "fileUri": "https://example.com/cat.webp?size=large"}},
              {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/photo"}},
              {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}},
              {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0x"}}
            ]
            """, body["contents"]![0]!["parts"]);
    }

    [Fact]
    public void Tool_calls_and_results_pair_up_by_id_and_consecutive_results_share_one_user_turn()
    {
        var body = Body("""
            {"model": "m", "messages": [
              {"role": "user", "content": "Weather and time in Paris?"},
              {"role": "assistant", "content": "Checking.", "tool_calls": [
                {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": ""}}]},
              {"role": "tool", "tool_call_id": "call_b", "content": "{\"time\": \"14:00\"}"},
              {"role": "tool", "tool_call_id": "call_a", "content": [{"type": "text", "text": "Sunny, 21°C"}]},
              {"role": "tool", "tool_call_id": "call_unknown", "content": "orphan"},
              {"role": "user", "content": "Thanks!"}
            ]}
            """);

        AssertJson("""
            [
              {"role": "user", "parts": [{"text": "Weather and time in Paris?"}]},
              {"role": "model", "parts": [
                {"text": "Checking."},
                {"functionCall": {"id": "call_a", "name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "skip_thought_signature_validator"},
                {"functionCall": {"id": "call_b", "name": "get_time", "args": {}}}]},
              {"role": "user", "parts": [
                {"functionResponse": {"id": "call_b", "name": "get_time", "response": {"time": "14:00"}}},
                {"functionResponse": {"id": "call_a", "name": "get_weather", "response": {"content": "Sunny, 21°C"}}},
                {"text": "Result of tool call call_unknown: orphan"},
                {"text": "Thanks!"}]}
            ]
            """, body["contents"]);
    }

    [Fact]
    public void Legacy_function_call_and_function_result_pair_up_by_name()
    {
        var body = Body("""
            {"model": "m", "messages": [
              {"role": "user", "content": "Time?"},
              {"role": "assistant", "content": null, "function_call": {"name": "get_time", "arguments": "{\"tz\":\"UTC\"}"}},
              {"role": "function", "name": "get_time", "content": "12:00"}
            ]}
            """);

        AssertJson("""
            [
              {"role": "user", "parts": [{"text": "Time?"}]},
              {"role": "model", "parts": [{"functionCall": {"name": "get_time", "args": {"tz": "UTC"}}, "thoughtSignature": "skip_thought_signature_validator"}]},
              {"role": "user", "parts": [{"functionResponse": {"name": "get_time", "response": {"content": "12:00"}}}]}
            ]
            """, body["contents"]);
    }

    [Fact]
    public void Schema_nested_deeper_than_a_json_document_default_still_translates()
    {
        var schema = "{\"type\":\"string\"}";
        for (var i = 0; i < 60; i++)
        {
            schema = "{\"type\":\"object\",\"properties\":{\"a\":" + schema + "}}";
        }

        var body = Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {"name": "deep", "parameters": """ + schema + "}}]}");

        Assert.Equal("object", body["tools"]![0]!["functionDeclarations"]![0]!["parameters"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Gemini_signatures_in_reasoning_details_go_back_onto_the_call_or_the_text()
    {
        var body = Body("""
            {"model": "m", "messages": [
              {"role": "user", "content": "Hi"},
              {"role": "assistant", "content": "Hello!", "reasoning_details": [
                {"type": "reasoning.text", "text": "Greeting.", "signature": "sig-text", "format": "google-gemini-v1", "index": 0}]},
              {"role": "user", "content": "Weather?"},
              {"role": "assistant", "content": null, "reasoning_details": [
                {"type": "reasoning.text", "signature": "claude-sig", "format": "anthropic-claude-v1", "index": 0},
                {"type": "reasoning.encrypted", "data": "sig-call", "format": "google-gemini-v1", "index": 1}],
               "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
              {"role": "tool", "tool_call_id": "c1", "content": "rain"}
            ]}
            """);

        var contents = body["contents"]!;
        AssertJson("""{"role": "model", "parts": [{"text": "Hello!", "thoughtSignature": "sig-text"}]}""", contents[1]);
        AssertJson("""{"role": "model", "parts": [{"functionCall": {"id": "c1", "name": "get_weather", "args": {}}, "thoughtSignature": "sig-call"}]}""", contents[3]);
    }

    [Fact]
    public void Empty_user_content_gets_a_placeholder_part_and_a_system_only_request_a_placeholder_turn()
    {
        AssertJson("""[{"role": "user", "parts": [{"text": " "}]}]""", Body("""{"model": "m", "messages": [{"role": "user", "content": ""}]}""")["contents"]);
        AssertJson("""[{"role": "user", "parts": [{"text": " "}]}]""", Body("""{"model": "m", "messages": [{"role": "system", "content": "Say hi."}]}""")["contents"]);
        AssertJson("""[{"role": "user", "parts": [{"text": "Hi"}]}]""",
            Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}""")["contents"]);
    }

    [Theory]
    [InlineData("\"auto\"", """{"functionCallingConfig": {"mode": "AUTO"}}""")]
    [InlineData("\"none\"", """{"functionCallingConfig": {"mode": "NONE"}}""")]
    [InlineData("\"required\"", """{"functionCallingConfig": {"mode": "ANY"}}""")]
    [InlineData("""{"type": "function", "function": {"name": "get_weather"}}""", """{"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}}""")]
    public void Tool_choice_becomes_the_function_calling_mode(string toolChoice, string expected)
    {
        var body = Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "tool_choice": """ + toolChoice + """
            , "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather now", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}
            """);

        AssertJson("""
            [{"functionDeclarations": [{"name": "get_weather", "description": "Weather now",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]}]
            """, body["tools"]);
        AssertJson(expected, body["toolConfig"]);
    }

    [Fact]
    public void Tool_choice_without_tools_and_tools_without_parameters_are_handled()
    {
        var noTools = Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "tool_choice": "required"}""");
        Assert.Null(noTools["tools"]);
        Assert.Null(noTools["toolConfig"]);

        var bare = Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function", "function": {"name": "now"}}]}""");
        AssertJson("""[{"functionDeclarations": [{"name": "now"}]}]""", bare["tools"]);
    }

    [Fact]
    public void Sampling_limits_and_stop_become_generation_config()
    {
        var body = Body("""
            {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0.2, "top_p": 0.9, "top_k": 40,
             "max_completion_tokens": 500, "stop": "END", "n": 2, "seed": 7, "presence_penalty": 0.1, "frequency_penalty": 0.2}
            """);

        AssertJson("""
            {"temperature": 0.2, "topP": 0.9, "topK": 40, "candidateCount": 2, "seed": 7, "presencePenalty": 0.1, "frequencyPenalty": 0.2,
             "maxOutputTokens": 500, "stopSequences": ["END"]}
            """, body["generationConfig"]);
        AssertJson("""{"maxOutputTokens": 64, "stopSequences": ["a", "b"]}""",
            Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 64, "stop": ["a", "", "b"]}""")["generationConfig"]);
        Assert.Null(Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}]}""")["generationConfig"]);
    }

    [Fact]
    public void Json_schema_response_format_becomes_a_mime_type_and_a_cleaned_response_schema()
    {
        var body = Body("""
            {"model": "m", "messages": [{"role": "user", "content": "Weather?"}], "response_format": {"type": "json_schema", "json_schema": {
              "name": "weather", "strict": true, "schema": {"type": "object", "additionalProperties": false,
                "properties": {"temp": {"type": "number"}, "condition": {"type": ["string", "null"]}}, "required": ["temp", "condition"]}}}}
            """);

        AssertJson("""
            {"responseMimeType": "application/json", "responseSchema": {"type": "object",
              "properties": {"temp": {"type": "number"}, "condition": {"type": "string", "nullable": true}}, "required": ["temp", "condition"]}}
            """, body["generationConfig"]);
        AssertJson("""{"responseMimeType": "application/json"}""",
            Body("""{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "response_format": {"type": "json_object"}}""")["generationConfig"]);
    }

    [Theory]
    [InlineData("\"reasoning\": {\"effort\": \"high\"}, \"max_tokens\": 10000", null, """{"includeThoughts": true, "thinkingBudget": 8000}""")]
    [InlineData("\"reasoning\": {\"max_tokens\": 2048}", null, """{"includeThoughts": true, "thinkingBudget": 2048}""")]
    [InlineData("\"reasoning_effort\": \"low\"", 65536, """{"includeThoughts": true, "thinkingBudget": 13107}""")]
    [InlineData("\"reasoning\": {\"effort\": \"high\"}", 65536, """{"includeThoughts": true, "thinkingBudget": 24576}""")]
    [InlineData("\"reasoning\": {\"effort\": \"minimal\"}, \"max_tokens\": 1000", null, """{"includeThoughts": true, "thinkingBudget": 512}""")]
    [InlineData("\"reasoning\": {\"effort\": \"medium\", \"exclude\": true}, \"max_tokens\": 4000", null, """{"thinkingBudget": 2000}""")]
    [InlineData("\"reasoning\": {\"enabled\": true}", null, """{"includeThoughts": true}""")]
    [InlineData("\"include_reasoning\": true", null, """{"includeThoughts": true}""")]
    [InlineData("\"reasoning\": {\"effort\": \"none\"}", null, """{"thinkingBudget": 0}""")]
    [InlineData("\"reasoning\": {\"enabled\": false}", null, """{"thinkingBudget": 0}""")]
    [InlineData("\"reasoning_effort\": \"none\"", null, """{"thinkingBudget": 0}""")]
    [InlineData("\"reasoning\": {\"max_tokens\": 0}", null, """{"thinkingBudget": 0}""")]
    [InlineData("\"temperature\": 1", 65536, null)]
    public void Reasoning_becomes_thinking_config(string fields, int? endpointLimit, string? expected)
    {
        var request = """{"model": "m", "messages": [{"role": "user", "content": "Hi"}], """ + fields + "}";

        var config = Body(request, Endpoint(maxCompletionTokens: endpointLimit))["generationConfig"];

        if (expected is null)
        {
            Assert.Null(config?["thinkingConfig"]);
        }
        else
        {
            AssertJson(expected, config!["thinkingConfig"]);
        }
    }
}
