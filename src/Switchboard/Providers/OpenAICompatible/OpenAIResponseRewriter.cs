using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Streaming;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// Re-stamps an OpenAI <c>chat.completion</c> or <c>chat.completion.chunk</c> as ours: the generation id, the
/// public model id, <c>provider</c> and <c>created</c> replace the upstream's; each choice's <c>finish_reason</c>
/// is normalised with the raw value kept in <c>native_finish_reason</c>; <c>usage</c> is left out, since the core
/// sends it once, priced. Every other property is copied as raw bytes, so fields we do not know (logprobs,
/// annotations, reasoning, provider extras) pass through untouched.
/// <para>
/// It is the only pass over the object: on the way it finds what a separate inspection used to (an error, the
/// usage, the choices) and counts the generated text, so a streamed chunk is read once, not three times. It also
/// checks, as it copies them, that the strings are text (<see cref="JsonText"/>): the reader does not, and a lone
/// surrogate passed on would throw wherever the chunk is read as strings again.
/// </para>
/// </summary>
internal static class OpenAIResponseRewriter
{
    /// <summary>
    /// Rewrites <paramref name="json"/> into <paramref name="writer"/>. When the result is not an object, or has an
    /// <see cref="OpenAIResponseShape.Error"/>, what was written is incomplete or unwanted and must be discarded.
    /// </summary>
    /// <exception cref="JsonException">The JSON is malformed, or a string in it is not text; discard what was written.</exception>
    public static OpenAIResponseShape Rewrite(ReadOnlySpan<byte> json, ResponseIdentity identity, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }
        writer.WriteStartObject();
        writer.WriteString("id"u8, identity.GenerationId);
        writer.WriteString("provider"u8, identity.Provider);
        writer.WriteString("model"u8, identity.Model);
        writer.WriteNumber("created"u8, identity.Created);

        Range? error = null, usage = null;
        var choices = 0;
        string? finishReason = null;
        var text = default(GeneratedTextCount);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Check(in reader); // before any comparison: comparing an escaped name unescapes it, which throws on a lone surrogate
            if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("provider"u8) || reader.ValueTextEquals("model"u8)
                || reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                SkipChecked(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    usage = start..(int)reader.BytesConsumed;
                }
                continue;
            }
            if (reader.ValueTextEquals("choices"u8))
            {
                writer.WritePropertyName("choices"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    finishReason = RewriteChoices(ref reader, json, writer, ref choices, ref text);
                }
                else
                {
                    CopyValue(ref reader, json, writer);
                }
                continue;
            }
            var isError = reader.ValueTextEquals("error"u8);
            var value = CopyProperty(ref reader, json, writer);
            if (isError && reader.TokenType != JsonTokenType.Null)
            {
                error = value;
            }
        }
        writer.WriteEndObject();
        return new OpenAIResponseShape(true, error, usage, choices, finishReason, text);
    }

    /// <returns>The native finish reason of the first choice that has one.</returns>
    private static string? RewriteChoices(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, ref int choices, ref GeneratedTextCount text)
    {
        string? first = null;
        writer.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            choices++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                CopyValue(ref reader, json, writer);
                continue;
            }
            writer.WriteStartObject();
            var wroteNative = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                Check(in reader);
                if (reader.ValueTextEquals("native_finish_reason"u8))
                {
                    if (wroteNative)
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }
                    wroteNative = true;
                    CopyNativeFinishReason(ref reader, json, writer, ref text);
                    continue;
                }
                if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("delta"u8))
                {
                    text.Bytes += CopyMessage(ref reader, json, writer);
                    continue;
                }
                if (!reader.ValueTextEquals("finish_reason"u8))
                {
                    CopyProperty(ref reader, json, writer);
                    continue;
                }
                reader.Read();
                Check(in reader);
                var native = reader.TokenType == JsonTokenType.String ? FinishReasons.Read(ref reader) : null;
                reader.Skip();
                if (native is null)
                {
                    writer.WriteNull("finish_reason"u8);
                }
                else
                {
                    var normalized = FinishReasons.Normalize(native);
                    writer.WriteString("finish_reason"u8, normalized);
                    text.FinishReason = normalized;
                    first ??= native;
                }
                if (!wroteNative)
                {
                    writer.WriteString("native_finish_reason"u8, native);
                    text.NativeFinishReason = native ?? text.NativeFinishReason;
                    wroteNative = true;
                }
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        return first;
    }

    private static void CopyNativeFinishReason(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, ref GeneratedTextCount text)
    {
        writer.WritePropertyName("native_finish_reason"u8);
        reader.Read();
        Check(in reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            text.NativeFinishReason = FinishReasons.Read(ref reader);
        }
        CopyValue(ref reader, json, writer);
    }

    /// <summary>
    /// Copies a choice's <c>message</c> or <c>delta</c>, naming reasoning as OpenRouter does: hosts such as DeepSeek
    /// and vLLM send <c>reasoning_content</c>, clients of OpenRouter read <c>reasoning</c>.
    /// </summary>
    /// <returns>The bytes of generated text copied (see <see cref="GeneratedText"/>).</returns>
    private static long CopyMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        writer.WritePropertyName(reader.ValueSpan); // "message" or "delta": matched as unescaped bytes
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            CopyValue(ref reader, json, writer);
            return 0;
        }
        writer.WriteStartObject();
        long textBytes = 0;
        var wroteReasoning = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Check(in reader);
            if (reader.ValueTextEquals("reasoning"u8) || reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                if (wroteReasoning || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                writer.WritePropertyName("reasoning"u8);
                textBytes += CopyCountingText(ref reader, json, writer, skipNext: false);
                wroteReasoning = true;
                continue;
            }
            var notText = GeneratedText.IsNotText(ref reader);
            WritePropertyName(ref reader, writer);
            reader.Read();
            textBytes += CopyCountingText(ref reader, json, writer, notText);
        }
        writer.WriteEndObject();
        return textBytes;
    }

    /// <summary>Copies the value the reader is on, counting its generated text as <see cref="GeneratedText"/> does.</summary>
    private static long CopyCountingText(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, bool skipNext)
    {
        var start = (int)reader.TokenStartIndex;
        Check(in reader);
        long bytes = GeneratedText.CountToken(ref reader, ref skipNext);
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                Check(in reader);
                bytes += GeneratedText.CountToken(ref reader, ref skipNext);
            }
        }
        writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
        return bytes;
    }

    /// <returns>Where the copied value lies in <paramref name="json"/>.</returns>
    private static Range CopyProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        WritePropertyName(ref reader, writer);
        reader.Read();
        return CopyValue(ref reader, json, writer);
    }

    private static void WritePropertyName(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        if (reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            writer.WritePropertyName(reader.ValueSpan);
        }
    }

    private static Range CopyValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var start = (int)reader.TokenStartIndex;
        SkipChecked(ref reader);
        var end = (int)reader.BytesConsumed;
        writer.WriteRawValue(json[start..end], skipInputValidation: true);
        return start..end;
    }

    /// <summary><see cref="Utf8JsonReader.Skip"/>, which reads every token anyway, checking each string on the way.</summary>
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        Check(in reader);
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            Check(in reader);
        }
    }

    /// <summary>
    /// A string that is not text is malformed JSON to everything after this (RFC 8259 §8.1): reported as the reader
    /// reports the rest of what is malformed, and caught with it by the adapter and the stream translator.
    /// </summary>
    private static void Check(in Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !JsonText.IsValid(in reader))
        {
            throw new JsonException("A string is not valid UTF-8 text.");
        }
    }
}
