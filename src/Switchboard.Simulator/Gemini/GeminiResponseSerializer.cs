using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>Identity fields repeated on the response and on every stream chunk.</summary>
internal sealed record GeminiResponseHeader(string ResponseId, string Model, int CandidateCount);

/// <summary>
/// Writes one <c>GenerateContentResponse</c>, the shape of both the whole body and every stream chunk. All
/// candidates carry the same parts; a blocked prompt has no candidates, only <c>promptFeedback</c>.
/// </summary>
internal sealed class GeminiResponseSerializer(ResponsePlan plan, GeminiResponseHeader header)
{
    public void Write(Utf8JsonWriter json, GeminiPart[] parts, bool final, TokenUsage? usage)
    {
        json.WriteStartObject();
        if (plan.BlockPrompt is { } blockReason)
        {
            json.WriteStartObject("promptFeedback"u8);
            json.WriteString("blockReason"u8, blockReason);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartArray("candidates"u8);
            for (var index = 0; index < header.CandidateCount; index++)
            {
                WriteCandidate(json, parts, final, index);
            }

            json.WriteEndArray();
        }

        if (usage is { } counts)
        {
            GeminiUsageJson.Write(json, counts, header.CandidateCount, promptOnly: plan.BlockPrompt is not null);
        }

        json.WriteString("modelVersion"u8, header.Model);
        json.WriteString("responseId"u8, header.ResponseId);
        json.WriteEndObject();
    }

    private void WriteCandidate(Utf8JsonWriter json, GeminiPart[] parts, bool final, int index)
    {
        json.WriteStartObject();
        json.WriteStartObject("content"u8);
        json.WriteStartArray("parts"u8);
        foreach (var part in parts)
        {
            WritePart(json, part);
        }

        json.WriteEndArray();
        json.WriteString("role"u8, "model"u8);
        json.WriteEndObject();
        if (final)
        {
            json.WriteString("finishReason"u8, GeminiFinishReason.For(plan));
        }

        json.WriteNumber("index"u8, index);
        json.WriteEndObject();
    }

    private void WritePart(Utf8JsonWriter json, GeminiPart part)
    {
        json.WriteStartObject();
        switch (part.Kind)
        {
            case GeminiPartKind.Thought:
                json.WriteString("text"u8, part.Text);
                json.WriteBoolean("thought"u8, true);
                break;
            case GeminiPartKind.Text:
                json.WriteString("text"u8, part.Text);
                break;
            case GeminiPartKind.FunctionCall:
                // No id: Gemini function calls usually carry none, so the gateway must generate its own.
                var call = plan.ToolCalls[part.ToolIndex];
                json.WriteStartObject("functionCall"u8);
                json.WriteString("name"u8, call.Name);
                ToolArgumentsJson.Write(json, "args"u8, call.Arguments);
                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
    }
}
