using System.Text.Json;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// Re-stamps an OpenAI <c>chat.completion</c> or <c>chat.completion.chunk</c> as ours: the generation id, the
/// public model id, <c>provider</c> and <c>created</c> replace the upstream's; each choice's <c>finish_reason</c>
/// is normalised with the raw value kept in <c>native_finish_reason</c>. Every other property is copied as raw
/// bytes, so fields we do not know (logprobs, annotations, reasoning, provider extras) pass through untouched.
/// </summary>
internal static class OpenAIResponseRewriter
{
    /// <returns>The native finish reason of the first choice that has one.</returns>
    public static string? Rewrite(ReadOnlySpan<byte> json, ResponseIdentity identity, Utf8JsonWriter writer, bool dropUsage)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        writer.WriteStartObject();
        writer.WriteString("id"u8, identity.GenerationId);
        writer.WriteString("provider"u8, identity.Provider);
        writer.WriteString("model"u8, identity.Model);
        writer.WriteNumber("created"u8, identity.Created);

        string? finishReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("provider"u8) || reader.ValueTextEquals("model"u8)
                || reader.ValueTextEquals("created"u8) || (dropUsage && reader.ValueTextEquals("usage"u8)))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (reader.ValueTextEquals("choices"u8))
            {
                writer.WritePropertyName("choices"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    finishReason = RewriteChoices(ref reader, json, writer);
                }
                else
                {
                    CopyValue(ref reader, json, writer);
                }
                continue;
            }
            CopyProperty(ref reader, json, writer);
        }
        writer.WriteEndObject();
        return finishReason;
    }

    private static string? RewriteChoices(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        string? first = null;
        writer.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                CopyValue(ref reader, json, writer);
                continue;
            }
            writer.WriteStartObject();
            var wroteNative = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("native_finish_reason"u8))
                {
                    if (wroteNative)
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }
                    wroteNative = true;
                    CopyProperty(ref reader, json, writer);
                    continue;
                }
                if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("delta"u8))
                {
                    CopyMessage(ref reader, json, writer);
                    continue;
                }
                if (!reader.ValueTextEquals("finish_reason"u8))
                {
                    CopyProperty(ref reader, json, writer);
                    continue;
                }
                reader.Read();
                var native = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
                if (native is null)
                {
                    writer.WriteNull("finish_reason"u8);
                }
                else
                {
                    writer.WriteString("finish_reason"u8, FinishReasons.Normalize(native));
                    first ??= native;
                }
                if (!wroteNative)
                {
                    writer.WriteString("native_finish_reason"u8, native);
                    wroteNative = true;
                }
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        return first;
    }

    /// <summary>
    /// Copies a choice's <c>message</c> or <c>delta</c>, naming reasoning as OpenRouter does: hosts such as DeepSeek
    /// and vLLM send <c>reasoning_content</c>, clients of OpenRouter read <c>reasoning</c>.
    /// </summary>
    private static void CopyMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        writer.WritePropertyName(reader.ValueSpan);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            CopyValue(ref reader, json, writer);
            return;
        }
        writer.WriteStartObject();
        var wroteReasoning = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reasoning"u8) || reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                if (wroteReasoning || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                writer.WritePropertyName("reasoning"u8);
                CopyValue(ref reader, json, writer);
                wroteReasoning = true;
                continue;
            }
            CopyProperty(ref reader, json, writer);
        }
        writer.WriteEndObject();
    }

    private static void CopyProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            writer.WritePropertyName(reader.ValueSpan);
        }
        reader.Read();
        CopyValue(ref reader, json, writer);
    }

    private static void CopyValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }
}
