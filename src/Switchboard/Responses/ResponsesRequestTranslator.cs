using System.Buffers;
using System.Text.Json;
using Switchboard.Infrastructure;

namespace Switchboard.Responses;

/// <summary>
/// An OpenAI Responses request (<c>POST /v1/responses</c>) as the chat-completions request a client would have sent
/// for it, so every model and every provider protocol can answer it through the ordinary chat path. The gateway is
/// stateless, as OpenRouter's Responses API is: nothing is stored, so <c>store: true</c>, <c>previous_response_id</c>,
/// <c>conversation</c> and <c>background: true</c> are refused. Fields that only tune OpenAI's own service
/// (<c>include</c>, <c>prompt_cache_key</c>, <c>truncation</c>, <c>service_tier</c>, …) are accepted and ignored;
/// OpenRouter's routing extras pass through as they are. Expected failures are a message naming the field, never an
/// exception: every read tolerates any JSON type.
/// </summary>
internal static class ResponsesRequestTranslator
{
    /// <summary>Nesting allowed in a Responses body, the chat parser's own limit (tool schemas nest deepest).</summary>
    public const int MaxDepth = Requests.ChatRequestParser.MaxDepth;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>OpenRouter's request extras, which mean the same on the chat path, so they are copied byte for byte.</summary>
    private static readonly string[] PassThrough = ["models", "provider", "route", "transforms", "plugins", "usage", "session_id"];

    /// <summary>Responses request body -> the equivalent chat-completions request body; nothing written unless it succeeds.</summary>
    /// <remarks>Writes through <see cref="ThreadJsonWriter"/>, so it must not be called while that writer is in use.</remarks>
    public static bool TryTranslate(ReadOnlySpan<byte> body, IBufferWriter<byte> chatBody, out string? error)
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
            error = $"Request body is not valid JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            // A pooled scratch buffer, not the thread's: a body with images can be megabytes. It reaches chatBody only whole.
            using var scratch = new PooledBufferWriter(body.Length + 1024);
            var json = ThreadJsonWriter.Over(scratch);
            error = Translate(json, document.RootElement);
            if (error is not null)
            {
                return false;
            }
            json.Flush();
            chatBody.Write(scratch.WrittenSpan);
            return true;
        }
    }

    private static string? Translate(Utf8JsonWriter json, JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return "Request body must be a JSON object.";
        }
        if (RefuseState(request) is { } stateful)
        {
            return stateful;
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
        json.WriteStartArray("messages"u8);
        if (ResponsesInput.Write(json, request) is { } inputError)
        {
            return inputError;
        }
        json.WriteEndArray();
        return WriteMaxOutputTokens(json, request)
            ?? WriteNumbers(json, request)
            ?? WriteStream(json, request)
            ?? WriteUser(json, request)
            ?? WriteMetadata(request)
            ?? ResponsesTools.Write(json, request)
            ?? ResponsesTextFormat.Write(json, request)
            ?? WriteReasoning(json, request)
            ?? CheckIgnored(request)
            ?? WritePassThrough(json, request)
            ?? End(json);
    }

    private static string? End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        return null;
    }

    /// <summary>What only a server that keeps responses could do; this gateway keeps none, as OpenRouter keeps none.</summary>
    private static string? RefuseState(JsonElement request)
    {
        const string Stateless = "this gateway's Responses API is stateless, as OpenRouter's is: send the whole conversation in input";
        if (JsonValues.TryGetValue(request, "store", out var store))
        {
            if (store.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "store: must be a boolean";
            }
            if (store.ValueKind == JsonValueKind.True)
            {
                return $"store: true is not supported; {Stateless} (send store: false or leave it out)";
            }
        }
        if (JsonValues.TryGetValue(request, "previous_response_id", out _))
        {
            return $"previous_response_id: not supported; {Stateless}";
        }
        if (JsonValues.TryGetValue(request, "conversation", out _))
        {
            return $"conversation: not supported; {Stateless}";
        }
        if (JsonValues.TryGetValue(request, "background", out var background))
        {
            if (background.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "background: must be a boolean";
            }
            if (background.ValueKind == JsonValueKind.True)
            {
                return $"background: true is not supported; {Stateless}, so a response cannot be fetched later (stream it instead)";
            }
        }
        if (JsonValues.TryGetValue(request, "prompt", out _))
        {
            return "prompt: stored prompt templates are not supported; send the prompt's text in instructions and input";
        }
        return null;
    }

    private static string? WriteMaxOutputTokens(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "max_output_tokens", out var max))
        {
            return null;
        }
        if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var tokens) || tokens <= 0)
        {
            return "max_output_tokens: must be a positive integer";
        }
        json.WriteNumber("max_tokens"u8, tokens);
        return null;
    }

    private static string? WriteNumbers(Utf8JsonWriter json, JsonElement request)
    {
        // The penalties are OpenRouter's additions to the Responses API; they mean what they mean on chat.
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "frequency_penalty", "presence_penalty"])
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
        if (JsonValues.TryGetValue(request, "top_logprobs", out var top))
        {
            if (top.ValueKind != JsonValueKind.Number || !top.TryGetInt32(out var count) || count < 0 || count > 20)
            {
                return "top_logprobs: must be an integer from 0 to 20";
            }
            if (count > 0)
            {
                json.WriteBoolean("logprobs"u8, true);
                json.WriteNumber("top_logprobs"u8, count);
            }
        }
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
            // response.completed carries the usage, so the chat stream must end with its usage chunk.
            json.WriteStartObject("stream_options"u8);
            json.WriteBoolean("include_usage"u8, true);
            json.WriteEndObject();
        }
        return null;
    }

    /// <summary><c>user</c>, or else <c>safety_identifier</c> (OpenAI's newer name for the same end-user id).</summary>
    private static string? WriteUser(Utf8JsonWriter json, JsonElement request)
    {
        string? user = null;
        foreach (var name in (ReadOnlySpan<string>)["safety_identifier", "user"])
        {
            if (JsonValues.TryGetValue(request, name, out var value))
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    return $"{name}: must be a string";
                }
                user = value.GetString();
            }
        }
        if (user is not null)
        {
            json.WriteString("user"u8, user);
        }
        return null;
    }

    /// <summary><c>metadata</c> is the client's own, echoed on the response; OpenAI allows string values only.</summary>
    private static string? WriteMetadata(JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "metadata", out var metadata))
        {
            return null;
        }
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return "metadata: must be an object of strings";
        }
        foreach (var entry in metadata.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                return $"metadata.{entry.Name}: must be a string";
            }
        }
        return null;
    }

    /// <summary>
    /// <c>reasoning.effort</c> as the chat path's <c>reasoning.effort</c>. <c>summary</c> asks how much of the reasoning
    /// to show, which no chat request can say: what the provider returns is shown.
    /// </summary>
    private static string? WriteReasoning(Utf8JsonWriter json, JsonElement request)
    {
        if (!JsonValues.TryGetValue(request, "reasoning", out var reasoning))
        {
            return null;
        }
        if (reasoning.ValueKind != JsonValueKind.Object)
        {
            return "reasoning: must be an object such as {\"effort\":\"medium\"}";
        }
        foreach (var name in (ReadOnlySpan<string>)["summary", "generate_summary"])
        {
            if (JsonValues.TryGetValue(reasoning, name, out var summary) && summary.ValueKind != JsonValueKind.String)
            {
                return $"reasoning.{name}: must be a string such as \"auto\"";
            }
        }
        if (!JsonValues.TryGetValue(reasoning, "effort", out var effort))
        {
            return null;
        }
        if (effort.ValueKind != JsonValueKind.String)
        {
            return "reasoning.effort: must be a string such as \"low\", \"medium\" or \"high\"";
        }
        json.WriteStartObject("reasoning"u8);
        json.WriteString("effort"u8, effort.GetString());
        json.WriteEndObject();
        return null;
    }

    /// <summary>Fields that tune OpenAI's own service and mean nothing here; accepted when well formed, then dropped.</summary>
    private static string? CheckIgnored(JsonElement request)
    {
        if (JsonValues.TryGetValue(request, "include", out var include))
        {
            if (include.ValueKind != JsonValueKind.Array)
            {
                return "include: must be an array of strings";
            }
            var i = 0;
            foreach (var entry in include.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.String)
                {
                    return $"include[{i}]: must be a string";
                }
                i++;
            }
        }
        foreach (var name in (ReadOnlySpan<string>)["prompt_cache_key", "truncation", "service_tier", "prompt_cache_retention"])
        {
            if (JsonValues.TryGetValue(request, name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"{name}: must be a string";
            }
        }
        if (JsonValues.TryGetValue(request, "client_metadata", out var clientMetadata) && clientMetadata.ValueKind != JsonValueKind.Object)
        {
            return "client_metadata: must be an object";
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
