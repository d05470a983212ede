using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Messages;

/// <summary>
/// An Anthropic Messages request (<c>POST /v1/messages</c>) as the OpenAI chat-completions request a client would
/// have sent for it, so a model that is not Claude can answer through the ordinary chat path. Fields that mean
/// something only to Anthropic (<c>container</c>, <c>mcp_servers</c>, <c>context_management</c>, …) are dropped;
/// OpenRouter's routing extras pass through as they are. Expected failures are a message for the client, never an
/// exception: every read tolerates any JSON type.
/// </summary>
internal static class MessagesRequestTranslator
{
    /// <summary>Nesting allowed in a Messages body; deeper is refused rather than parsed.</summary>
    public const int MaxDepth = 64;

    /// <summary>OpenRouter's Messages extra <c>fallbacks</c> takes at most this many model ids.</summary>
    public const int MaxFallbacks = 3;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>OpenRouter's request extras, which mean the same on the chat path, so they are copied byte for byte.</summary>
    private static readonly string[] PassThrough = ["models", "provider", "route", "transforms", "plugins", "usage", "user", "session_id"];

    /// <summary>Anthropic Messages request body -> the equivalent OpenAI chat-completions request body.</summary>
    /// <remarks>
    /// Nothing is written to <paramref name="chatBody"/> unless the translation succeeds. Writes through
    /// <see cref="ThreadJsonWriter"/>, so it must not be called while that writer is in use.
    /// </remarks>
    /// <param name="requireMaxTokens">False for <c>count_tokens</c>, whose requests have no <c>max_tokens</c>.</param>
    public static bool TryTranslate(ReadOnlySpan<byte> body, IBufferWriter<byte> chatBody, out string? error, bool requireMaxTokens = true)
    {
        JsonDocument document;
        try
        {
            // The reader checks syntax but not what strings hold; one invalid string would throw later, while writing.
            var invalid = JsonText.FindInvalidString(body, ReaderOptions);
            if (invalid >= 0)
            {
                error = $"{JsonText.PathTo(body, invalid, ReaderOptions)}: not valid UTF-8 text (invalid bytes, or an unpaired surrogate escape such as \\ud800)";
                return false;
            }
            var reader = new Utf8JsonReader(body, ReaderOptions);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            // Depth beyond MaxDepth lands here too: the reader refuses it as malformed.
            error = $"Request body is not valid JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            // A pooled scratch buffer, not the thread's: a body with images can be megabytes, which a thread-static
            // buffer would keep for good. The translation reaches chatBody only whole.
            using var scratch = new PooledBufferWriter(body.Length + 1024);
            var json = ThreadJsonWriter.Over(scratch);
            error = Translate(json, document.RootElement, requireMaxTokens);
            if (error is not null)
            {
                return false;
            }
            json.Flush();
            chatBody.Write(scratch.WrittenSpan);
            return true;
        }
    }

    private static string? Translate(Utf8JsonWriter json, JsonElement request, bool requireMaxTokens)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return "Request body must be a JSON object.";
        }
        json.WriteStartObject();

        if (JsonValues.TryGetValue(request, "model", out var model))
        {
            if (model.ValueKind != JsonValueKind.String)
            {
                return "model: must be a string";
            }
            json.WriteString("model"u8, model.GetString());
        }
        // Without a model the gateway uses the account's default, which is why model is not required here.
        if (WriteFallbacks(json, request, model) is { } fallbacksError)
        {
            return fallbacksError;
        }

        if (!JsonValues.TryGetValue(request, "messages", out var messages))
        {
            return "messages: required";
        }
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return "messages: must be an array";
        }
        if (messages.GetArrayLength() == 0)
        {
            return "messages: must contain at least one message";
        }
        json.WriteStartArray("messages"u8);
        if ((MessagesConversation.WriteSystem(json, request) ?? MessagesConversation.WriteMessages(json, messages)) is { } conversationError)
        {
            return conversationError;
        }
        json.WriteEndArray();

        // Anthropic requires max_tokens, so a Messages client always says how much output it will pay for.
        if (!JsonValues.TryGetValue(request, "max_tokens", out var maxTokens))
        {
            if (requireMaxTokens)
            {
                return "max_tokens: required";
            }
        }
        else if (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var max) || max <= 0)
        {
            return "max_tokens: must be a positive integer";
        }
        else
        {
            json.WriteNumber("max_tokens"u8, max);
        }

        return WriteSampling(json, request)
            ?? WriteStream(json, request)
            ?? WriteUser(json, request)
            ?? MessagesTools.Write(json, request)
            ?? MessagesReasoning.Write(json, request)
            ?? WritePassThrough(json, request)
            ?? End(json);
    }

    private static string? End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        return null;
    }

    /// <summary>OpenRouter's <c>fallbacks</c>: models to try after <c>model</c>, which the chat path calls <c>models</c>.</summary>
    private static string? WriteFallbacks(Utf8JsonWriter json, JsonElement request, JsonElement model)
    {
        if (!JsonValues.TryGetValue(request, "fallbacks", out var fallbacks))
        {
            return null;
        }
        if (fallbacks.ValueKind != JsonValueKind.Array)
        {
            return "fallbacks: must be an array of model ids";
        }
        if (fallbacks.GetArrayLength() > MaxFallbacks)
        {
            return $"fallbacks: at most {MaxFallbacks} models";
        }
        if (JsonValues.TryGetValue(request, "models", out _))
        {
            return "fallbacks: cannot be combined with models";
        }
        // With models but no model, the chat path would skip the account's default model rather than fall back from it.
        if (model.ValueKind != JsonValueKind.String)
        {
            return "fallbacks: needs model, the model they stand in for";
        }
        json.WriteStartArray("models"u8);
        json.WriteStringValue(model.GetString());
        var i = 0;
        foreach (var fallback in fallbacks.EnumerateArray())
        {
            if (fallback.ValueKind != JsonValueKind.String || fallback.GetString() is not { Length: > 0 } id)
            {
                return $"fallbacks[{i}]: must be a non-empty string";
            }
            json.WriteStringValue(id);
            i++;
        }
        json.WriteEndArray();
        return null;
    }

    private static string? WriteSampling(Utf8JsonWriter json, JsonElement request)
    {
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "top_k"])
        {
            if (JsonValues.TryGetValue(request, name, out var value))
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    return $"{name}: must be a number";
                }
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }
        if (!JsonValues.TryGetValue(request, "stop_sequences", out var stops))
        {
            return null;
        }
        if (stops.ValueKind != JsonValueKind.Array)
        {
            return "stop_sequences: must be an array of strings";
        }
        if (stops.GetArrayLength() == 0)
        {
            return null; // an empty stop list, which some OpenAI-compatible providers refuse, means no stop sequences
        }
        json.WriteStartArray("stop"u8);
        var i = 0;
        foreach (var stop in stops.EnumerateArray())
        {
            if (stop.ValueKind != JsonValueKind.String)
            {
                return $"stop_sequences[{i}]: must be a string";
            }
            stop.WriteTo(json);
            i++;
        }
        json.WriteEndArray();
        return null;
    }

    private static string? WriteStream(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "stream", out var stream))
        {
            return null;
        }
        if (stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "stream: must be a boolean";
        }
        json.WriteBoolean("stream"u8, stream.ValueKind == JsonValueKind.True);
        if (stream.ValueKind == JsonValueKind.True)
        {
            // Anthropic's message_delta carries the usage, so the chat stream must end with its usage chunk.
            json.WriteStartObject("stream_options"u8);
            json.WriteBoolean("include_usage"u8, true);
            json.WriteEndObject();
        }
        return null;
    }

    /// <summary><c>metadata.user_id</c> as <c>user</c>, unless the client also sent OpenRouter's own <c>user</c>, which wins.</summary>
    private static string? WriteUser(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "metadata", out var metadata))
        {
            return null;
        }
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return "metadata: must be an object";
        }
        if (!JsonValues.TryGetValue(metadata, "user_id", out var userId))
        {
            return null;
        }
        if (userId.ValueKind != JsonValueKind.String)
        {
            return "metadata.user_id: must be a string";
        }
        if (!JsonValues.TryGetValue(request, "user", out _))
        {
            json.WriteString("user"u8, userId.GetString());
        }
        return null;
    }

    private static string? WritePassThrough(Utf8JsonWriter json, JsonElement request)
    {
        foreach (var name in PassThrough)
        {
            if (JsonValues.TryGetValue(request, name, out var value))
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }
        return null;
    }
}
