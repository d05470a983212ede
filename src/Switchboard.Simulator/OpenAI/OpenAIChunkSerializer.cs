using System.Buffers.Text;
using System.Diagnostics;
using System.Text.Json;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>Serializes <see cref="OpenAIChunk"/>s for one stream; all chunks share id, created and model.</summary>
internal sealed class OpenAIChunkSerializer(ResponsePlan plan, OpenAIResponseHeader header, bool includeUsage)
{
    public void Write(Utf8JsonWriter json, OpenAIChunk chunk)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, header.Id);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, header.Created);
        json.WriteString("model"u8, header.Model);
        json.WriteString("system_fingerprint"u8, OpenAIResponseHeader.SystemFingerprint);

        json.WriteStartArray("choices"u8);
        if (chunk.Kind != OpenAIChunkKind.Usage)
        {
            WriteChoice(json, chunk);
        }

        json.WriteEndArray();

        if (chunk.Kind == OpenAIChunkKind.Usage)
        {
            OpenAIUsageJson.Write(json, plan.Usage!.Value);
        }
        else if (includeUsage)
        {
            // With include_usage OpenAI puts an explicit null on every chunk before the usage chunk.
            json.WriteNull("usage"u8);
        }

        json.WriteEndObject();
    }

    private void WriteChoice(Utf8JsonWriter json, OpenAIChunk chunk)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        WriteDelta(json, chunk);
        json.WriteEndObject();
        json.WriteNull("logprobs"u8);
        if (chunk.Kind == OpenAIChunkKind.Finish)
        {
            json.WriteString("finish_reason"u8, chunk.Text);
        }
        else
        {
            json.WriteNull("finish_reason"u8);
        }

        json.WriteEndObject();
    }

    private void WriteDelta(Utf8JsonWriter json, OpenAIChunk chunk)
    {
        switch (chunk.Kind)
        {
            case OpenAIChunkKind.Role:
                json.WriteString("role"u8, "assistant"u8);
                json.WriteString("content"u8, ""u8);
                json.WriteNull("refusal"u8);
                break;
            case OpenAIChunkKind.Reasoning:
                // DeepSeek's shape, which the OpenAI-compatible ecosystem (and so the gateway) reads reasoning from.
                json.WriteNull("content"u8);
                json.WriteString("reasoning_content"u8, chunk.Text);
                break;
            case OpenAIChunkKind.Content when plan.StampContent:
                WriteSendTime(json);
                break;
            case OpenAIChunkKind.Content:
                json.WriteString("content"u8, chunk.Text);
                break;
            case OpenAIChunkKind.ToolCallStart:
                WriteToolCallStart(json, chunk.ToolIndex, plan.ToolCalls[chunk.ToolIndex]);
                break;
            case OpenAIChunkKind.ToolCallArguments:
                WriteToolCallArguments(json, chunk.ToolIndex, chunk.Text!);
                break;
        }
    }

    /// <summary>
    /// The content is <see cref="Stopwatch.GetTimestamp"/> as digits and a space, read just before the event is
    /// written. On Linux that is CLOCK_MONOTONIC in nanoseconds, the same clock in every process of the machine, so
    /// the benchmark client subtracts it from its own arrival time. Digits pass unchanged through any proxy.
    /// </summary>
    private static void WriteSendTime(Utf8JsonWriter json)
    {
        Span<byte> text = stackalloc byte[24];
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), text, out var length);
        text[length++] = (byte)' ';
        json.WriteString("content"u8, text[..length]);
    }

    private static void WriteToolCallStart(Utf8JsonWriter json, int index, PlannedToolCall call)
    {
        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, index);
        json.WriteString("id"u8, call.Id);
        json.WriteString("type"u8, "function"u8);
        json.WriteStartObject("function"u8);
        json.WriteString("name"u8, call.Name);
        json.WriteString("arguments"u8, ""u8);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteToolCallArguments(Utf8JsonWriter json, int index, string fragment)
    {
        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("function"u8);
        json.WriteString("arguments"u8, fragment);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }
}
