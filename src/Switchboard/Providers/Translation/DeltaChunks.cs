using System.Text.Json;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Translation;

/// <summary>
/// The OpenAI stream chunks a native adapter emits while translating: one delta per call, in the order the
/// provider produced them, stamped with the gateway's identity.
/// </summary>
internal static class DeltaChunks
{
    public static void Role(ChunkWriter chunks, ResponseIdentity identity, int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        json.WriteString("role"u8, "assistant");
        json.WriteString("content"u8, "");
        End(chunks, json);
    }

    public static void Content(ChunkWriter chunks, ResponseIdentity identity, string text, int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        json.WriteString("content"u8, text);
        End(chunks, json);
    }

    /// <summary>Reasoning text as OpenRouter streams it: in <c>reasoning</c> and as a <c>reasoning_details</c> fragment.</summary>
    public static void Reasoning(ChunkWriter chunks, ResponseIdentity identity, ReasoningDetail detail, int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        if (detail.Text is not null)
        {
            json.WriteString("reasoning"u8, detail.Text);
        }
        json.WritePropertyName("reasoning_details"u8);
        OpenAICompletionWriter.WriteReasoningDetails(json, [detail]);
        End(chunks, json);
    }

    /// <summary>The first fragment of a tool call: id, name and empty arguments, as OpenAI sends it.</summary>
    public static void ToolCallStart(ChunkWriter chunks, ResponseIdentity identity, int index, string id, string name, string arguments = "", int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, index);
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "function");
        json.WriteStartObject("function"u8);
        json.WriteString("name"u8, name);
        json.WriteString("arguments"u8, arguments);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        End(chunks, json);
    }

    public static void ToolCallArguments(ChunkWriter chunks, ResponseIdentity identity, int index, string fragment, int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("function"u8);
        json.WriteString("arguments"u8, fragment);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        End(chunks, json);
    }

    public static void Finish(ChunkWriter chunks, ResponseIdentity identity, string finishReason, string? nativeFinishReason, int choice = 0)
    {
        var json = Begin(chunks, identity, choice);
        End(chunks, json, finishReason, nativeFinishReason);
    }

    private static Utf8JsonWriter Begin(ChunkWriter chunks, ResponseIdentity identity, int choice)
    {
        var json = chunks.Begin();
        ChunkHeader.Write(json, identity);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, choice);
        json.WriteStartObject("delta"u8);
        return json;
    }

    private static void End(ChunkWriter chunks, Utf8JsonWriter json, string? finishReason = null, string? nativeFinishReason = null)
    {
        json.WriteEndObject(); // delta
        json.WriteNull("logprobs"u8);
        json.WriteString("finish_reason"u8, finishReason);
        json.WriteString("native_finish_reason"u8, nativeFinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        chunks.End();
    }
}
