using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sdk;

/// <summary>The official OpenAI .NET SDK, with only its base URL changed, works against the gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenAISdkTests(GatewayFixture fixture)
{
    private ChatClient Client(string model, JsonObject? extraFields = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(fixture.Client.BaseAddress!, "v1") };
        if (extraFields is not null)
        {
            options.AddPolicy(new ScriptInjectionPolicy(extraFields), PipelinePosition.PerCall);
        }
        return new ChatClient(model, new ApiKeyCredential(fixture.Gateway.InferenceKey), options);
    }

    [Fact]
    public async Task Sdk_completes_a_chat()
    {
        var client = Client("test/multi", new JsonObject { ["simulator"] = new JsonObject { ["content"] = "Hello from Switchboard" } });

        ChatCompletion completion = await client.CompleteChatAsync([new SystemChatMessage("Be kind."), new UserChatMessage("Hi")]);

        Assert.Equal("Hello from Switchboard", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("test/multi", completion.Model);
        Assert.StartsWith("gen-", completion.Id);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_streams_a_chat_with_usage()
    {
        var client = Client("test/multi", new JsonObject { ["simulator"] = new JsonObject { ["content"] = "streamed word by word" } });
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("streamed word by word", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(4, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_receives_a_tool_call_streamed_and_not_streamed()
    {
        var script = JsonNode.Parse("""{"simulator":{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}]}}""")!.AsObject();
        var client = Client("test/multi", script);
        var tool = ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Weather in Lyon?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Lyon"}""", call.FunctionArguments.ToString());

        var arguments = new System.Text.StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Weather in Lyon?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }
        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city":"Lyon"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task Sdk_completes_a_streamed_tool_call_round_trip_on_every_protocol(string provider)
    {
        // OpenAI-compatible (alpha), Anthropic Messages (claude) and Gemini (gem) upstreams; the scripts ride in the
        // message text so they survive translation.
        var client = Client("test/tri", new JsonObject { ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) } });
        var tool = ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages =
        [
            new UserChatMessage("""Weather in Lyon? <simulator>{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}]}</simulator>"""),
        ];

        var calls = new SortedDictionary<int, (string Id, string Name, System.Text.StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(part.Index, out var call))
                {
                    call = (part.ToolCallId, part.FunctionName, new System.Text.StringBuilder());
                    calls[part.Index] = call;
                }
                call.Arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        var (id, name, arguments) = Assert.Single(calls.Values);
        Assert.Equal("get_weather", name);
        Assert.Equal("Lyon", JsonNode.Parse(arguments.ToString())!["city"]!.GetValue<string>());

        messages.Add(new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall(id, name, BinaryData.FromString(arguments.ToString()))]));
        messages.Add(new ToolChatMessage(id, """{"temp_c":12} <simulator>{"content":"It is 12C in Lyon."}</simulator>"""));
        var answer = new System.Text.StringBuilder();
        finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                answer.Append(part.Text);
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("It is 12C in Lyon.", answer.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task Sdk_surfaces_gateway_errors_with_the_status()
    {
        var client = Client("nobody/nothing");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(400, error.Status);
        Assert.Contains("not a valid model ID", error.Message);
    }
}
