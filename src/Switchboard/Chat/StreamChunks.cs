using System.Text.Json;
using Switchboard.Api;
using Switchboard.Providers;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Chat;

/// <summary>The chunks the gateway writes itself, in OpenRouter's shape.</summary>
internal static class StreamChunks
{
    /// <summary>
    /// A failure after the stream started: a top-level <c>error</c> (which OpenAI SDKs raise) and a choice with
    /// <c>finish_reason: "error"</c>. No <c>[DONE]</c> follows, so no client takes the stream for complete.
    /// When content was generated, <paramref name="priced"/> says what it used and cost.
    /// </summary>
    public static void WriteError(ChunkWriter chunks, ResponseIdentity identity, ApiError error, GenerationMeter? priced = null)
    {
        var json = chunks.Begin();
        ChunkHeader.Write(json, identity);
        json.WritePropertyName("error"u8);
        ApiErrorWriter.WriteErrorObject(json, error);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, 0);
        json.WriteStartObject("delta"u8);
        json.WriteString("content"u8, "");
        json.WriteEndObject();
        json.WriteString("finish_reason"u8, "error");
        json.WriteNull("native_finish_reason"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        if (priced is not null)
        {
            json.WritePropertyName("usage"u8);
            priced.WriteUsage(json);
        }
        json.WriteEndObject();
        chunks.End();
    }
}
