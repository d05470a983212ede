using System.Buffers;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Infrastructure;
using Switchboard.Requests;

namespace Switchboard.Completions;

/// <summary>
/// A legacy completions request (<c>POST /completions</c>) as the chat request that stands for it: the prompt becomes
/// one user message, and every other field that means the same on the chat path is copied. Fields that need a raw
/// completion endpoint, which no chat model offers (<c>suffix</c>, <c>echo</c>, <c>logprobs</c>, <c>best_of</c> &gt; 1,
/// several prompts, token-id prompts), are refused by name rather than silently lost. Fields the gateway does not
/// know are dropped. Every read tolerates any JSON type: a wrong one is a 400 naming the field, never an exception.
/// </summary>
internal static class CompletionsRequestTranslator
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = ChatRequestParser.MaxDepth };

    /// <summary>Fields the chat parser validates itself (with messages naming them), or that OpenRouter passes as they are.</summary>
    private static readonly string[] Verbatim =
    [
        "models", "provider", "route", "transforms", "plugins", "usage", "user", "session_id", "n", "stream",
        "stream_options", "response_format", "reasoning", "include_reasoning",
    ];

    /// <summary>Sampling fields that must be numbers; chat sends them upstream as they are.</summary>
    private static readonly string[] Numbers =
    [
        "temperature", "top_p", "presence_penalty", "frequency_penalty", "top_k", "min_p", "top_a", "repetition_penalty",
    ];

    /// <summary>Legacy completions body → the equivalent chat completions body, written to <paramref name="chatBody"/> only whole.</summary>
    /// <remarks>Writes through <see cref="ThreadJsonWriter"/>, so it must not be called while that writer is in use.</remarks>
    public static bool TryTranslate(ReadOnlySpan<byte> body, IBufferWriter<byte> chatBody, out ApiError? error)
    {
        JsonDocument document;
        try
        {
            // The reader checks syntax but not what strings hold; one invalid string would throw later, while writing.
            var invalid = JsonText.FindInvalidString(body, ReaderOptions);
            if (invalid >= 0)
            {
                error = JsonRequestBody.NotText(body, invalid, ReaderOptions);
                return false;
            }
            var reader = new Utf8JsonReader(body, ReaderOptions);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            error = ApiError.BadRequest($"Request body is not valid JSON: {ex.Message}");
            return false;
        }
        using (document)
        {
            using var scratch = new PooledBufferWriter(body.Length + 256);
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

    private static ApiError? Translate(Utf8JsonWriter json, JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return ApiError.BadRequest("Request body must be a JSON object.");
        }
        if (Unsupported(request) is { } unsupported)
        {
            return unsupported;
        }
        json.WriteStartObject();
        if (TryGet(request, "model", out var model))
        {
            if (model.ValueKind != JsonValueKind.String)
            {
                return TypeError("model", "a string", model);
            }
            json.WriteString("model"u8, model.GetString());
        }
        if (WritePrompt(json, request) is { } promptError)
        {
            return promptError;
        }
        return WriteMaxTokens(json, request)
            ?? WriteNumbers(json, request)
            ?? WriteSeed(json, request)
            ?? WriteStop(json, request)
            ?? WriteLogitBias(json, request)
            ?? WriteMetadata(json, request)
            ?? WriteVerbatim(json, request)
            ?? End(json);
    }

    /// <summary>What only a raw completion endpoint can do; the answer comes from a chat model, which has no such thing.</summary>
    private static ApiError? Unsupported(JsonElement request)
    {
        if (TryGet(request, "suffix", out var suffix))
        {
            if (suffix.ValueKind != JsonValueKind.String)
            {
                return TypeError("suffix", "a string", suffix);
            }
            if (suffix.GetString()!.Length > 0)
            {
                return NeedsRawCompletion("suffix", "'suffix' (text to insert before) is not supported");
            }
        }
        if (TryGet(request, "echo", out var echo))
        {
            if (echo.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return TypeError("echo", "a boolean", echo);
            }
            if (echo.ValueKind == JsonValueKind.True)
            {
                return NeedsRawCompletion("echo", "'echo: true' (the prompt repeated in the answer) is not supported");
            }
        }
        if (TryGet(request, "logprobs", out var logprobs))
        {
            return logprobs.ValueKind == JsonValueKind.Number
                ? NeedsRawCompletion("logprobs", "'logprobs' (per-token log probabilities of the text) is not supported")
                : TypeError("logprobs", "an integer", logprobs);
        }
        if (TryGet(request, "best_of", out var bestOf))
        {
            if (bestOf.ValueKind != JsonValueKind.Number || !bestOf.TryGetInt32(out var candidates) || candidates < 0)
            {
                return ApiError.BadRequest("'best_of' must be a non-negative integer.", "best_of");
            }
            if (candidates > 1)
            {
                return NeedsRawCompletion("best_of", "'best_of' above 1 (the best of several completions by log probability) is not supported");
            }
        }
        return null;
    }

    private static ApiError NeedsRawCompletion(string field, string what) => ApiError.BadRequest(
        $"{what}: this gateway serves /completions through chat models, which have no raw completion endpoint. Leave the field out.", field);

    /// <summary>
    /// The prompt as the conversation's one user message. OpenAI also takes several prompts (one completion each)
    /// and token ids; a chat generation has one prompt, as text, so those are refused.
    /// </summary>
    private static ApiError? WritePrompt(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "prompt", out var prompt))
        {
            return ApiError.BadRequest("'prompt' is required: send the text to complete as a string.", "prompt");
        }
        if (prompt.ValueKind == JsonValueKind.Array)
        {
            var count = prompt.GetArrayLength();
            if (count == 0)
            {
                return ApiError.BadRequest("'prompt' must not be an empty array: send the text to complete as a string.", "prompt");
            }
            var first = prompt[0];
            if (first.ValueKind is JsonValueKind.Number or JsonValueKind.Array)
            {
                return ApiError.BadRequest(
                    "'prompt' as token ids is not supported: this gateway serves /completions through chat models, which take text. Send the prompt as a string.", "prompt");
            }
            if (count > 1)
            {
                return ApiError.BadRequest(
                    $"'prompt' holds {count} prompts; send one per request: this gateway serves /completions through chat models, one prompt per generation.", "prompt");
            }
            prompt = first;
        }
        if (prompt.ValueKind != JsonValueKind.String)
        {
            return TypeError("prompt", "a string (or an array holding one string)", prompt);
        }
        if (prompt.GetString()!.Length == 0)
        {
            return ApiError.BadRequest("'prompt' must not be empty.", "prompt");
        }
        json.WriteStartArray("messages"u8);
        json.WriteStartObject();
        json.WriteString("role"u8, "user");
        json.WriteString("content"u8, prompt.GetString());
        json.WriteEndObject();
        json.WriteEndArray();
        return null;
    }

    /// <summary>
    /// Sent only when the client set it: OpenAI's legacy default of 16 tokens would cut nearly every chat model's
    /// answer short, and OpenRouter does not apply it either (see docs/api.md).
    /// </summary>
    private static ApiError? WriteMaxTokens(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "max_tokens", out var maxTokens))
        {
            return null;
        }
        if (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var max) || max < 1)
        {
            return ApiError.BadRequest("'max_tokens' must be a positive integer.", "max_tokens");
        }
        json.WriteNumber("max_tokens"u8, max);
        return null;
    }

    private static ApiError? WriteNumbers(Utf8JsonWriter json, JsonElement request)
    {
        foreach (var name in Numbers)
        {
            if (TryGet(request, name, out var value))
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    return TypeError(name, "a number", value);
                }
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }
        return null;
    }

    private static ApiError? WriteSeed(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "seed", out var seed))
        {
            return null;
        }
        if (seed.ValueKind != JsonValueKind.Number || !seed.TryGetInt64(out var value))
        {
            return ApiError.BadRequest("'seed' must be an integer.", "seed");
        }
        json.WriteNumber("seed"u8, value);
        return null;
    }

    /// <summary><c>stop</c>: a string or an array of strings, as on chat; an empty array means none.</summary>
    private static ApiError? WriteStop(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "stop", out var stop))
        {
            return null;
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            json.WriteString("stop"u8, stop.GetString());
            return null;
        }
        if (stop.ValueKind != JsonValueKind.Array)
        {
            return TypeError("stop", "a string or an array of strings", stop);
        }
        foreach (var sequence in stop.EnumerateArray())
        {
            if (sequence.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest($"'stop' must be a string or an array of strings, not an array holding {ChatRequestParser.Describe(Token(sequence))}.", "stop");
            }
        }
        if (stop.GetArrayLength() > 0) // an empty list, which some providers refuse, means no stop sequences
        {
            json.WritePropertyName("stop"u8);
            stop.WriteTo(json);
        }
        return null;
    }

    /// <summary><c>logit_bias</c>: token id → a bias from −100 to 100, both as OpenAI defines them.</summary>
    private static ApiError? WriteLogitBias(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "logit_bias", out var bias))
        {
            return null;
        }
        if (bias.ValueKind != JsonValueKind.Object)
        {
            return TypeError("logit_bias", "an object of token ids to numbers", bias);
        }
        foreach (var entry in bias.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !long.TryParse(entry.Name, out _))
            {
                return ApiError.BadRequest("'logit_bias' must map token ids (integers, as strings) to numbers.", "logit_bias");
            }
        }
        json.WritePropertyName("logit_bias"u8);
        bias.WriteTo(json);
        return null;
    }

    /// <summary>OpenRouter's <c>metadata</c>: string keys to string values, kept as the chat path keeps them.</summary>
    private static ApiError? WriteMetadata(Utf8JsonWriter json, JsonElement request)
    {
        if (!TryGet(request, "metadata", out var metadata))
        {
            return null;
        }
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return TypeError("metadata", "an object", metadata);
        }
        foreach (var entry in metadata.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest($"'metadata.{entry.Name}' must be a string.", "metadata");
            }
        }
        json.WritePropertyName("metadata"u8);
        metadata.WriteTo(json);
        return null;
    }

    private static ApiError? WriteVerbatim(Utf8JsonWriter json, JsonElement request)
    {
        foreach (var name in Verbatim)
        {
            if (request.TryGetProperty(name, out var value))
            {
                json.WritePropertyName(name);
                value.WriteTo(json);
            }
        }
        return null;
    }

    private static ApiError? End(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        return null;
    }

    /// <summary>The property, unless it is missing or null: an optional field sent as null means the same as one left out.</summary>
    private static bool TryGet(JsonElement request, string name, out JsonElement value) =>
        request.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static ApiError TypeError(string field, string expected, JsonElement value) =>
        ApiError.BadRequest($"'{field}' must be {expected}, not {ChatRequestParser.Describe(Token(value))}.", field);

    private static JsonTokenType Token(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => JsonTokenType.StartObject,
        JsonValueKind.Array => JsonTokenType.StartArray,
        JsonValueKind.String => JsonTokenType.String,
        JsonValueKind.Number => JsonTokenType.Number,
        JsonValueKind.True => JsonTokenType.True,
        JsonValueKind.False => JsonTokenType.False,
        _ => JsonTokenType.Null,
    };
}
