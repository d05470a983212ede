using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sdk;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental

/// <summary>
/// The official OpenAI .NET SDK's Responses client, with only its base URL changed, against the gateway on every
/// provider protocol. The SDK deserializes every response and event into its typed models, so a shape it does not
/// accept fails here.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenAIResponsesSdkTests(GatewayFixture fixture)
{
    private ResponsesClient Client(string provider)
    {
        var options = new ResponsesClientOptions { Endpoint = new Uri(fixture.Client.BaseAddress!, "v1") };
        options.AddPolicy(new ScriptInjectionPolicy(new JsonObject { ["provider"] = new JsonObject { ["only"] = new JsonArray(provider) } }), PipelinePosition.PerCall);
        return new ResponsesClient(new ApiKeyCredential(fixture.Gateway.InferenceKey), options);
    }

    private static readonly ResponseTool Weather = ResponseTool.CreateFunctionTool(
        "get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""), strictModeEnabled: false, functionDescription: "Current weather");

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task Sdk_creates_a_response(string provider)
    {
        ResponseResult response = await Client(provider).CreateResponseAsync("test/tri", """Hi <simulator>{"content":"Hello from Switchboard"}</simulator>""");

        Assert.Equal("Hello from Switchboard", response.GetOutputText());
        Assert.StartsWith("gen-", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(3, response.Usage.OutputTokenCount);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("claude")]
    [InlineData("gem")]
    public async Task Sdk_completes_a_streamed_function_call_round_trip(string provider)
    {
        var client = Client(provider);
        List<ResponseItem> items = [ResponseItem.CreateUserMessageItem("""Weather in Lyon? <simulator>{"tool_calls":[{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}]}</simulator>""")];

        FunctionCallResponseItem? call = null;
        var options = new CreateResponseOptions("test/tri", items) { Tools = { Weather }, StreamingEnabled = true };
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem done })
            {
                call = done;
            }
        }
        Assert.NotNull(call);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Lyon", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());

        items.Add(call);
        items.Add(new FunctionCallOutputResponseItem(call.CallId, """{"temp_c":12} <simulator>{"content":"It is 12C in Lyon."}</simulator>"""));
        var text = new StringBuilder();
        ResponseResult? completed = null;
        options = new CreateResponseOptions("test/tri", items) { Tools = { Weather }, StreamingEnabled = true };
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }
        Assert.Equal("It is 12C in Lyon.", text.ToString());
        Assert.NotNull(completed);
        Assert.Equal("It is 12C in Lyon.", completed.GetOutputText());
    }

    [Fact]
    public async Task Sdk_surfaces_the_stateless_refusal_with_the_status()
    {
        var options = new CreateResponseOptions("test/tri", [ResponseItem.CreateUserMessageItem("Hi")]) { StoredOutputEnabled = true };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("alpha").CreateResponseAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("stateless", error.Message);
    }
}
