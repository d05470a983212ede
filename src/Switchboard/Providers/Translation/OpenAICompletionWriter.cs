using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Providers.Translation;

/// <summary>Writes translated choices as an OpenAI <c>chat.completion</c>, stamped with the gateway's identity.</summary>
internal static class OpenAICompletionWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes everything but <c>usage</c>, which the core appends once the generation is priced.</summary>
    public static void Write(IBufferWriter<byte> output, ResponseIdentity identity, IReadOnlyList<TranslatedChoice> choices)
    {
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteString("id"u8, identity.GenerationId);
        json.WriteString("provider"u8, identity.Provider);
        json.WriteString("model"u8, identity.Model);
        json.WriteString("object"u8, "chat.completion");
        json.WriteNumber("created"u8, identity.Created);
        // OpenRouter's ChatResult requires the field; providers that have no fingerprint (Claude, Gemini) get null,
        // as OpenRouter documents. (Its stream chunks allow only a string or nothing, so chunks leave it out.)
        json.WriteNull("system_fingerprint"u8);
        json.WriteStartArray("choices"u8);
        foreach (var choice in choices)
        {
            json.WriteStartObject();
            json.WriteNumber("index"u8, choice.Index);
            json.WriteStartObject("message"u8);
            json.WriteString("role"u8, "assistant");
            if (choice.Text.Length > 0 || choice.ToolCalls.Count == 0)
            {
                json.WriteString("content"u8, choice.Text.ToString());
            }
            else
            {
                json.WriteNull("content"u8);
            }
            json.WriteNull("refusal"u8);
            if (choice.Reasoning.Length > 0 || choice.ReasoningDetails.Count > 0)
            {
                json.WriteString("reasoning"u8, choice.Reasoning.ToString());
                json.WritePropertyName("reasoning_details"u8);
                WriteReasoningDetails(json, choice.ReasoningDetails);
            }
            else
            {
                json.WriteNull("reasoning"u8);
            }
            if (choice.ToolCalls.Count > 0)
            {
                json.WriteStartArray("tool_calls"u8);
                foreach (var call in choice.ToolCalls)
                {
                    json.WriteStartObject();
                    json.WriteString("id"u8, call.Id);
                    json.WriteString("type"u8, "function");
                    json.WriteStartObject("function"u8);
                    json.WriteString("name"u8, call.Name);
                    json.WriteString("arguments"u8, call.Arguments);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteNull("logprobs"u8);
            json.WriteString("finish_reason"u8, choice.FinishReason);
            json.WriteString("native_finish_reason"u8, choice.NativeFinishReason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteReasoningDetails(Utf8JsonWriter json, IEnumerable<ReasoningDetail> details)
    {
        json.WriteStartArray();
        foreach (var detail in details)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, detail.Type);
            if (detail.Text is not null)
            {
                json.WriteString("text"u8, detail.Text);
            }
            if (detail.Signature is not null)
            {
                json.WriteString("signature"u8, detail.Signature);
            }
            if (detail.Data is not null)
            {
                json.WriteString("data"u8, detail.Data);
            }
            json.WriteString("format"u8, detail.Format);
            json.WriteNumber("index"u8, detail.Index);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
