using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>Serializes the data of <see cref="AnthropicStreamEvent"/>s (all but ping, which is sent verbatim).</summary>
internal sealed class AnthropicEventSerializer(ResponsePlan plan, AnthropicResponseHeader header)
{
    public void Write(Utf8JsonWriter json, AnthropicStreamEvent e)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, e.Name);
        switch (e.Kind)
        {
            case AnthropicEventKind.MessageStart:
                WriteMessageStart(json);
                break;
            case AnthropicEventKind.ThinkingStart:
                json.WriteNumber("index"u8, e.Index);
                json.WriteStartObject("content_block"u8);
                json.WriteString("type"u8, "thinking"u8);
                json.WriteString("thinking"u8, ""u8);
                json.WriteString("signature"u8, ""u8);
                json.WriteEndObject();
                break;
            case AnthropicEventKind.TextStart:
                json.WriteNumber("index"u8, e.Index);
                json.WritePropertyName("content_block"u8);
                AnthropicJson.WriteTextBlock(json, string.Empty);
                break;
            case AnthropicEventKind.ToolUseStart:
                json.WriteNumber("index"u8, e.Index);
                json.WritePropertyName("content_block"u8);
                AnthropicJson.WriteToolUseBlock(json, plan.ToolCalls[e.ToolIndex], arguments: null);
                break;
            case AnthropicEventKind.ThinkingDelta:
                WriteDelta(json, e.Index, "thinking_delta"u8, "thinking"u8, e.Text!);
                break;
            case AnthropicEventKind.SignatureDelta:
                WriteDelta(json, e.Index, "signature_delta"u8, "signature"u8, header.Signature);
                break;
            case AnthropicEventKind.TextDelta:
                WriteDelta(json, e.Index, "text_delta"u8, "text"u8, e.Text!);
                break;
            case AnthropicEventKind.InputJsonDelta:
                WriteDelta(json, e.Index, "input_json_delta"u8, "partial_json"u8, e.Text!);
                break;
            case AnthropicEventKind.BlockStop:
                json.WriteNumber("index"u8, e.Index);
                break;
            case AnthropicEventKind.MessageDelta:
                WriteMessageDelta(json);
                break;
        }

        json.WriteEndObject();
    }

    private void WriteMessageStart(Utf8JsonWriter json)
    {
        json.WriteStartObject("message"u8);
        json.WriteString("id"u8, header.Id);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, header.Model);
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        if (plan.Usage is { } usage)
        {
            // The real API reports one output token at message_start; the final count comes in message_delta.
            AnthropicJson.WriteUsage(json, usage, outputTokens: 1);
        }

        json.WriteEndObject();
    }

    private void WriteMessageDelta(Utf8JsonWriter json)
    {
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, AnthropicStopReason.For(plan));
        json.WriteString("stop_sequence"u8, AnthropicStopReason.SequenceFor(plan));
        json.WriteEndObject();
        if (plan.Usage is { } usage)
        {
            json.WriteStartObject("usage"u8);
            json.WriteNumber("output_tokens"u8, usage.CompletionTokens);
            json.WriteEndObject();
        }
    }

    private static void WriteDelta(
        Utf8JsonWriter json, int index, ReadOnlySpan<byte> type, ReadOnlySpan<byte> field, string value)
    {
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("delta"u8);
        json.WriteString("type"u8, type);
        json.WriteString(field, value);
        json.WriteEndObject();
    }
}
