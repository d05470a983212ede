using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Sdk;

/// <summary>
/// Adds fields to the JSON body an SDK sends: a simulator script, or OpenRouter's extras that the OpenAI SDK has
/// no property for. The gateway forwards unknown fields, so this is also how real clients send them.
/// </summary>
public sealed class ScriptInjectionPolicy(JsonObject extraFields) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Inject(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Inject(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Inject(PipelineMessage message)
    {
        if (message.Request.Content is null)
        {
            return;
        }
        using var buffer = new MemoryStream();
        message.Request.Content.WriteTo(buffer);
        var body = JsonNode.Parse(buffer.ToArray())!.AsObject();
        foreach (var (key, value) in extraFields)
        {
            body[key] = value?.DeepClone();
        }
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
