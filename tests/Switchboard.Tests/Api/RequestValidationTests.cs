using System.Net;
using System.Text;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Api;

[Collection(GatewayCollection.Name)]
public sealed class RequestValidationTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"model":"test/multi"}""", "'messages' is required")]
    [InlineData("""{"model":"test/multi","messages":"hi"}""", "'messages' must be an array")]
    [InlineData("""{"model":"test/multi","messages":[]}""", "at least one message")]
    [InlineData("""{"model":"test/multi","messages":[{"content":"hi"}]}""", "'messages[0].role' must be one of")]
    [InlineData("""{"model":"test/multi","messages":[{"role":"user","content":"a"},{"role":"robot","content":"b"}]}""", "'messages[1].role'")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "'model' is required")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "'model' must be a string")]
    [InlineData("""{"model":"test/multi","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "'stream' must be a boolean")]
    [InlineData("""{"model":"test/multi","max_tokens":-5,"messages":[{"role":"user","content":"hi"}]}""", "'max_tokens' must be a positive integer")]
    [InlineData("""{"model":"test/multi","models":"test/other","messages":[{"role":"user","content":"hi"}]}""", "'models' must be an array")]
    [InlineData("""{"model":"test/multi","provider":{"sort":"fastest"},"messages":[{"role":"user","content":"hi"}]}""", "'provider.sort' must be")]
    [InlineData("""{"model":"test/multi","provider":{"order":"alpha"},"messages":[{"role":"user","content":"hi"}]}""", "'provider.order' must be an array")]
    [InlineData("""{"model":"test/multi","provider":{"data_collection":"maybe"},"messages":[{"role":"user","content":"hi"}]}""", "'provider.data_collection'")]
    [InlineData("""{"model":"test/multi","provider":{"max_price":{"prompt":-1}},"messages":[{"role":"user","content":"hi"}]}""", "'provider.max_price.prompt'")]
    [InlineData("""{"model":"nobody/nothing","messages":[{"role":"user","content":"hi"}]}""", "'nobody/nothing' is not a valid model ID")]
    [InlineData("""{"model":"test/multi","models":["nobody/else"],"messages":[{"role":"user","content":"hi"}]}""", "'nobody/else' is not a valid model ID")]
    [InlineData("""{"model":"test/multi:online","messages":[{"role":"user","content":"hi"}]}""", "':online'")]
    [InlineData("""{"model":"test/multi","messages":[{"role":"user","content":"hi"}]} trailing""", "JSON")]
    public async Task Invalid_requests_get_a_400_that_says_what_is_wrong(string body, string expected)
    {
        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.Contains(expected, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'tools':[5]", "tools[0]")]
    [InlineData("'tools':{'type':'function'}", "tools")]
    [InlineData("'tools':[{'type':'function'}]", "tools[0].function")]
    [InlineData("'tools':[{'type':'function','function':{'name':5}}]", "tools[0].function.name")]
    [InlineData("'tools':[{'type':'function','function':{'name':''}}]", "tools[0].function.name")]
    [InlineData("'tools':[{'function':{'name':'f','parameters':'x'}}]", "tools[0].function.parameters")]
    [InlineData("'tool_choice':5", "tool_choice")]
    [InlineData("'tool_choice':'sometimes'", "tool_choice")]
    [InlineData("'tool_choice':{'type':'function','function':'f'}", "tool_choice.function")]
    [InlineData("'tool_choice':{'type':'function'}", "tool_choice.function")]
    [InlineData("'tool_choice':{'function':{'name':'f'}}", "tool_choice.type")]
    [InlineData("'response_format':'json'", "response_format")]
    [InlineData("'response_format':{'type':5}", "response_format.type")]
    [InlineData("'response_format':{'type':'json_schema','json_schema':'x'}", "response_format.json_schema")]
    [InlineData("'messages':[{'role':'user','content':5}]", "messages[0].content")]
    [InlineData("'messages':[{'role':'user','content':[5]}]", "messages[0].content[0]")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'text'}]}]", "messages[0].content[0].text")]
    [InlineData("'messages':[{'role':'user','content':[{'text':'a'}]}]", "messages[0].content[0].type")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':5}}]}]", "messages[0].content[0].image_url.url")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'image_url'}]}]", "messages[0].content[0].image_url")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{'format':'wav'}}]}]", "messages[0].content[0].input_audio.data")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'file','file':{'file_data':5}}]}]", "messages[0].content[0].file.file_data")]
    [InlineData("'messages':[{'role':'user','content':[{'type':'text','text':'a','cache_control':'yes'}]}]", "messages[0].content[0].cache_control")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','tool_calls':[5]}]", "messages[1].tool_calls[0]")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':'f'}]}]", "messages[1].tool_calls[0].function")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f','arguments':'{}'}}]}]", "messages[1].tool_calls[0].id")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','tool_calls':[{'id':'c','function':{'name':'f','arguments':5}}]}]", "messages[1].tool_calls[0].function.arguments")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'tool','content':'r'}]", "messages[1].tool_call_id")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'tool','tool_call_id':5,'content':'r'}]", "messages[1].tool_call_id")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','content':'b','reasoning_details':[{'text':5}]}]", "messages[1].reasoning_details[0].text")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','content':'b','reasoning_details':[{'index':'0'}]}]", "messages[1].reasoning_details[0].index")]
    [InlineData("'messages':[{'role':'user','content':'a'},{'role':'assistant','function_call':{'arguments':'{}'}}]", "messages[1].function_call.name")]
    [InlineData("'messages':[{'role':'user','content':'a\\ud800'}]", "messages[0].content")]
    [InlineData("'messages':[{'role':'user','content':'a'}],'metadata':{'k':['ok','\\udc00']}", "metadata.k[1]")]
    public async Task Malformed_shapes_get_a_400_that_names_the_field(string fields, string param)
    {
        // Written with single quotes to stay readable; the body has double quotes.
        fields = fields.Replace('\'', '"');
        var messages = fields.StartsWith("\"messages\"", StringComparison.Ordinal) ? "" : ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        var body = "{\"model\":\"test/tri\"," + fields + messages + "}";

        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(param, error["metadata"]!["param"]!.GetValue<string>());
        Assert.Contains($"'{param}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task Requests_the_translations_used_to_throw_on_are_served_by_every_protocol(string provider)
    {
        // A file part without data; arguments whose own JSON holds a lone surrogate; a custom tool call; reasoning
        // details with a null index.
        var body = """
            {"model":"test/tri","provider":{"only":["PROVIDER"]},"max_tokens":8,
             "tools":[{"type":"function","function":{"name":"deep","parameters":{"type":"object"}}}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"hi"},{"type":"file","file":{"filename":"a.pdf","file_data":null}}]},
               {"role":"assistant","content":"","tool_calls":[
                  {"id":"c1","type":"function","function":{"name":"deep","arguments":"{\"a\":\"\\ud800\"}"}},
                  {"id":"c2","type":"custom","custom":{"name":"grep","input":"x"}}],
                "reasoning_details":[{"type":"reasoning.text","text":"t","index":null,"format":null}]},
               {"role":"tool","tool_call_id":"c1","content":"{\"ok\":\"\\udc00\"}"},
               {"role":"user","content":"go on"}]}
            """.Replace("PROVIDER", provider, StringComparison.Ordinal);

        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task A_tool_result_for_a_call_nobody_made_is_never_a_5xx(string provider)
    {
        // The Gemini translation once looked the call's name up and threw; Claude refuses such a tool_result block, so both
        // translations give it as text.
        var body = """
            {"model":"test/tri","provider":{"only":["PROVIDER"]},"max_tokens":8,"messages":[
              {"role":"user","content":"hi"},{"role":"tool","tool_call_id":"nobody-called-this","content":"orphan"},{"role":"user","content":"go on"}]}
            """.Replace("PROVIDER", provider, StringComparison.Ordinal);

        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task A_tool_schema_nested_deeper_than_64_but_within_256_is_never_a_5xx(string provider)
    {
        // The parser allows 256 levels; the Anthropic translation once parsed the body again with the default 64 and threw.
        // The simulator, like a provider, may refuse such a schema: then that refusal is the answer.
        var deep = string.Concat(Enumerable.Repeat("{\"type\":\"object\",\"properties\":{\"a\":", 120)) + "{\"type\":\"string\"}" + new string('}', 240);
        var body = """{"model":"test/tri","provider":{"only":["PROVIDER"]},"max_tokens":8,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"deep","parameters":DEEP}}]}"""
            .Replace("PROVIDER", provider, StringComparison.Ordinal).Replace("DEEP", deep, StringComparison.Ordinal);

        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        fixture.Gateway.ResetHealth(); // a provider's refusal would count against test/tri's endpoint for the next tests

        Assert.True((int)response.StatusCode is 200 or 400, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_models_list_longer_than_the_cap_is_a_400_naming_the_field_however_long_it_is()
    {
        foreach (var count in new[] { 33, 60_000 })
        {
            var models = string.Join(",", Enumerable.Range(0, count).Select(i => $"\"test/m{i}\""));
            var body = $$"""{"model":"test/multi","models":[{{models}}],"messages":[{"role":"user","content":"hi"}]}""";

            using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.JsonAsync())["error"]!;
            Assert.Equal("'models' may list at most 32 models.", error["message"]!.GetValue<string>());
            Assert.Equal("models", error["metadata"]!["param"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Repeated_models_are_tried_once_each_ignoring_case()
    {
        var body = ChatRequests.Body("test/multi", System.Text.Json.Nodes.JsonNode.Parse("""{"providers":{"alpha":{"status":404},"beta":{"status":404},"gamma":{"status":404}}}""")!.AsObject());
        body["models"] = new System.Text.Json.Nodes.JsonArray([.. Enumerable.Repeat("TEST/MULTI", 31).Select(m => System.Text.Json.Nodes.JsonValue.Create(m)), "test/multi"]);

        using var response = await fixture.Client.PostChatAsync(body);

        var attempts = (await response.JsonAsync())["error"]!["metadata"]!["attempts"]!.AsArray();
        Assert.Equal(3, attempts.Count); // test/multi's three endpoints, once (a 404 falls back and does not count against them)
    }

    [Fact]
    public async Task A_string_that_is_not_utf8_is_a_400()
    {
        var bytes = "{\"model\":\"test/\xff\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8.ToArray();
        bytes[Array.IndexOf(bytes, (byte)'/') + 1] = 0xFF;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await fixture.Client.PostAsync("/api/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", (await response.JsonAsync())["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Model_ids_are_matched_case_insensitively_and_answered_with_the_catalog_id()
    {
        var body = ChatRequests.Body("Test/MULTI");

        using var response = await fixture.Client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test/multi", (await response.JsonAsync())["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_answer_in_the_error_shape()
    {
        using var notFound = await fixture.Client.GetAsync("/api/v1/no-such-thing");
        using var wrongMethod = await fixture.Client.GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(404, (await notFound.JsonAsync())["error"]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(405, (await wrongMethod.JsonAsync())["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public Task A_malformed_chunked_body_is_answered_with_400_in_the_error_shape() => AssertChunkedBodyRefusedAsync("zz");

    [Fact]
    public Task A_chunk_size_that_overflows_is_a_400_not_a_500() =>
        // Kestrel reports this one as a plain IOException, not a BadHttpRequestException.
        AssertChunkedBodyRefusedAsync("fffffffffffffffffffffff");

    private async Task AssertChunkedBodyRefusedAsync(string chunkSize)
    {
        // HttpClient cannot send a broken chunk size, so the request is written by hand.
        var address = fixture.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var connection = tcp.GetStream();
        var request = "POST /api/v1/chat/completions HTTP/1.1\r\n" +
            $"Host: {address.Authority}\r\n" +
            $"Authorization: Bearer {fixture.Client.DefaultRequestHeaders.Authorization!.Parameter}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            $"{chunkSize}\r\n{{}}\r\n0\r\n\r\n";
        await connection.WriteAsync(Encoding.ASCII.GetBytes(request));

        var answer = await new StreamReader(connection, Encoding.UTF8).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":400", answer, StringComparison.Ordinal);
        Assert.Contains("Malformed HTTP request", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_body_is_rejected_with_413()
    {
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:MaxRequestBodyBytes"] = "2048" });
        using var client = gateway.CreateGatewayClient();
        var body = ChatRequests.Body("test/multi", content: new string('x', 4096));

        using var response = await client.PostChatAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await response.JsonAsync())["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"name\":\"a\\ud800\"}", "name")]
    [InlineData("{\"name\":\"ok\",\"\\udc00\":1}", "(invalid name)")]
    public async Task A_string_that_is_not_text_in_a_management_body_is_a_400_naming_the_field(string body, string param)
    {
        using var management = fixture.Gateway.CreateGatewayClient(GatewayFactory.ManagementKey);

        using var response = await management.PostAsync("/api/v1/keys", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await response.JsonAsync())["error"]!["metadata"]!["param"]!.GetValue<string>());
    }
}
