using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>The non-streamed <c>message</c> body: content is [thinking?, text? | tool_use…].</summary>
internal static class AnthropicMessageWriter
{
    public static Task WriteAsync(SimulatedExchange exchange, ResponsePlan plan, AnthropicResponseHeader header) =>
        ResponseBodies.WriteJsonAsync(
            exchange.Http.Response,
            StatusCodes.Status200OK,
            (plan, header),
            static (json, state) => Write(json, state.plan, state.header),
            exchange.Aborted);

    private static void Write(Utf8JsonWriter json, ResponsePlan plan, AnthropicResponseHeader header)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, header.Id);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, header.Model);

        json.WriteStartArray("content"u8);
        if (plan.HasReasoning)
        {
            AnthropicJson.WriteThinkingBlock(json, plan.Reasoning, header.Signature);
        }

        if (!plan.HasToolCalls && plan.Text.Length > 0)
        {
            AnthropicJson.WriteTextBlock(json, plan.Text);
        }

        foreach (var call in plan.ToolCalls)
        {
            AnthropicJson.WriteToolUseBlock(json, call, call.Arguments);
        }

        json.WriteEndArray();

        json.WriteString("stop_reason"u8, AnthropicStopReason.For(plan));
        json.WriteString("stop_sequence"u8, AnthropicStopReason.SequenceFor(plan));
        if (plan.Usage is { } usage)
        {
            AnthropicJson.WriteUsage(json, usage, usage.CompletionTokens);
        }

        json.WriteEndObject();
    }
}
