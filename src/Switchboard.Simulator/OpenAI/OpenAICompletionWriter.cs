using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>The non-streamed <c>chat.completion</c> body.</summary>
internal static class OpenAICompletionWriter
{
    public static Task WriteAsync(SimulatedExchange exchange, ResponsePlan plan, OpenAIResponseHeader header) =>
        ResponseBodies.WriteJsonAsync(
            exchange.Http.Response,
            StatusCodes.Status200OK,
            (plan, header),
            static (json, state) => Write(json, state.plan, state.header),
            exchange.Aborted);

    private static void Write(Utf8JsonWriter json, ResponsePlan plan, OpenAIResponseHeader header)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, header.Id);
        json.WriteString("object"u8, "chat.completion"u8);
        json.WriteNumber("created"u8, header.Created);
        json.WriteString("model"u8, header.Model);

        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        WriteMessage(json, plan);
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, plan.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();

        if (plan.Usage is { } usage)
        {
            OpenAIUsageJson.Write(json, usage);
        }

        json.WriteString("system_fingerprint"u8, OpenAIResponseHeader.SystemFingerprint);
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, ResponsePlan plan)
    {
        json.WriteStartObject("message"u8);
        json.WriteString("role"u8, "assistant"u8);
        if (plan.HasReasoning)
        {
            json.WriteString("reasoning_content"u8, plan.Reasoning);
        }

        if (!plan.HasToolCalls)
        {
            json.WriteString("content"u8, plan.Text);
        }
        else
        {
            json.WriteNull("content"u8);
            json.WriteStartArray("tool_calls"u8);
            foreach (var call in plan.ToolCalls)
            {
                json.WriteStartObject();
                json.WriteString("id"u8, call.Id);
                json.WriteString("type"u8, "function"u8);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, call.Name);
                json.WriteString("arguments"u8, call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteNull("refusal"u8);
        json.WriteEndObject();
    }
}
