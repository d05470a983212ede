using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Providers.Translation;
using Switchboard.Requests;
using Switchboard.Streaming;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// A Messages API request for a Claude endpoint, sent as the client wrote it: every field Anthropic knows (and any it
/// adds later: <c>cache_control</c>, <c>thinking</c> with its signatures, <c>context_management</c>, server tools)
/// arrives byte for byte. Only the gateway's own fields come out and <c>model</c> names the endpoint's model; the
/// response keeps every field and gets our id and model.
/// </summary>
internal static class AnthropicPassthrough
{
    /// <summary>OpenRouter's fields on the Messages API, which the gateway acts on and Anthropic would reject.</summary>
    private static readonly HashSet<string> GatewayFields = new(StringComparer.Ordinal)
    {
        "model", "models", "fallbacks", "provider", "route", "transforms", "plugins", "usage", "user", "session_id", "reasoning", "stream_options",
    };

    /// <summary>
    /// The fields of a message that <c>count_tokens</c> rejects as extra inputs: they shape the generation, not the
    /// prompt. A client may well count the very body it is about to send as a message, so they come out.
    /// </summary>
    private static readonly HashSet<string> CountRejectedFields = new(GatewayFields, StringComparer.Ordinal)
    {
        "max_tokens", "stream", "stop_sequences", "temperature", "top_p", "top_k", "metadata", "service_tier", "container", "inference_geo",
    };

    /// <summary>The client's body with <c>model</c> set to <paramref name="upstreamModel"/> and the gateway's fields removed.</summary>
    public static PooledBufferWriter WriteRequest(ReadOnlySpan<byte> body, string upstreamModel) => Write(body, upstreamModel, GatewayFields);

    /// <summary><see cref="WriteRequest"/> for <c>count_tokens</c>: the generation's fields come out too.</summary>
    public static PooledBufferWriter WriteCountRequest(ReadOnlySpan<byte> body, string upstreamModel) => Write(body, upstreamModel, CountRejectedFields);

    /// <summary><c>input_tokens</c> of a <c>count_tokens</c> answer, or null when the body is not one.</summary>
    public static long? ReadTokenCount(ReadOnlySpan<byte> body)
    {
        using var document = JsonText.TryParse(body);
        return document?.RootElement is { ValueKind: JsonValueKind.Object } answer
            && JsonElements.TryGet(answer, "input_tokens", out var tokens)
            && tokens.ValueKind == JsonValueKind.Number
            && tokens.TryGetInt64(out var count)
            && count >= 0
                ? count
                : null;
    }

    private static PooledBufferWriter Write(ReadOnlySpan<byte> body, string upstreamModel, HashSet<string> dropped)
    {
        var output = new PooledBufferWriter(body.Length + 64);
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, upstreamModel);
            json.Flush();
        }
        // The body was parsed and validated on the way in (it is a JSON object); here its properties are copied raw.
        var reader = new Utf8JsonReader(body);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var skip = dropped.Contains(reader.GetString()!);
            reader.Read();
            reader.Skip();
            if (!skip)
            {
                output.Write(","u8);
                output.Write(body[start..(int)reader.BytesConsumed]);
            }
        }
        output.Write("}"u8);
        return output;
    }

    /// <summary>Anthropic's message with <c>id</c> and <c>model</c> replaced; every other field as it came.</summary>
    public static CompletionResult Restamp(ReadOnlySpan<byte> body, ResponseIdentity identity, IBufferWriter<byte> output, CompletionCapture? capture)
    {
        using var document = JsonText.TryParse(body);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } message || JsonElements.String(message, "type") != "message")
        {
            return CompletionResult.Failed(Invalid("Anthropic answered with something other than a message.", body));
        }
        if (!JsonElements.TryGet(message, "content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return CompletionResult.Failed(Invalid("Anthropic's message has no content array.", body));
        }
        var usage = new AnthropicUsage();
        if (JsonElements.TryGet(message, "usage", out var usageElement))
        {
            usage.Read(usageElement);
        }
        var stopReason = JsonElements.String(message, "stop_reason");
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            WriteRestamped(json, message, identity);
        }
        if (capture is not null)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.ValueKind == JsonValueKind.Object && JsonElements.String(block, "type") == "text" && JsonElements.String(block, "text") is { } text)
                {
                    capture.Add(text);
                }
            }
        }
        var generated = new GeneratedTextCount(ContentBytes(content), stopReason is null ? null : FinishReasons.Normalize(stopReason), stopReason);
        return new CompletionResult(usage.ToTokenUsage(), stopReason, null, generated);
    }

    /// <summary>The message object with our <c>id</c> and <c>model</c>; every other property as Anthropic wrote it.</summary>
    public static void WriteRestamped(Utf8JsonWriter json, JsonElement message, ResponseIdentity identity)
    {
        json.WriteStartObject();
        foreach (var property in message.EnumerateObject())
        {
            if (property.NameEquals("id"u8))
            {
                json.WriteString("id"u8, identity.GenerationId);
            }
            else if (property.NameEquals("model"u8))
            {
                json.WriteString("model"u8, identity.Model);
            }
            else
            {
                property.WriteTo(json);
            }
        }
        json.WriteEndObject();
    }

    /// <summary>What the content blocks generated, in bytes of text, thinking and tool input: the estimate when usage is missing.</summary>
    private static long ContentBytes(JsonElement content)
    {
        long bytes = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            bytes += (JsonElements.String(block, "text")?.Length ?? 0) + (JsonElements.String(block, "thinking")?.Length ?? 0);
            if (JsonElements.TryGet(block, "input", out var input))
            {
                bytes += input.GetRawText().Length;
            }
        }
        return bytes;
    }

    private static UpstreamFailure Invalid(string message, ReadOnlySpan<byte> body) =>
        new(FailureKind.InvalidResponse, message, Raw: OpenAICompatible.OpenAIErrors.Text(body));
}
