using System.Text.Json;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Infrastructure;
using Switchboard.Routing;

namespace Switchboard.Requests;

/// <summary>
/// Reads an embeddings request in one forward pass: <c>model</c>/<c>models</c>, <c>input</c> (a string, an array
/// of strings, an array of token ids, or an array of token-id arrays), <c>dimensions</c>, <c>encoding_format</c>,
/// <c>input_type</c>, <c>user</c> and <c>provider</c>, each checked with a 400 naming the field. Inputs are kept as
/// ranges of the body, never copied; everything else is skipped and stays in the bytes.
/// </summary>
internal static class EmbeddingsRequestParser
{
    /// <summary>The largest <c>dimensions</c> any model in the catalog has (Qwen3 Embedding 8B: 4,096), with room.</summary>
    public const int MaxDimensions = 16_384;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static bool TryParse(ReadOnlyMemory<byte> body, RequestDefaults defaults, out EmbeddingsRequest? request, out ApiError? error)
    {
        request = null;
        try
        {
            var invalid = JsonText.FindInvalidString(body.Span, ReaderOptions);
            error = invalid >= 0 ? JsonRequestBody.NotText(body.Span, invalid, ReaderOptions) : Parse(body, defaults, out request);
        }
        catch (JsonException ex)
        {
            error = ApiError.BadRequest($"Request body is not valid JSON: {ex.Message}");
        }
        return error is null;
    }

    private static ApiError? Parse(ReadOnlyMemory<byte> body, RequestDefaults defaults, out EmbeddingsRequest? request)
    {
        request = null;
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ApiError.BadRequest("Request body must be a JSON object.");
        }

        var properties = new List<JsonPropertySpan>();
        string? model = null;
        List<string>? models = null;
        List<EmbeddingInput>? inputs = null;
        var single = false;
        int? dimensions = null;
        var encoding = EmbeddingEncoding.Float;
        string? inputType = null;
        string? user = null;
        var provider = ProviderPreferences.Default;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var name = RequestFieldNames.Read(ref reader);
            reader.Read();
            var problem = name switch
            {
                "model" => ChatRequestFields.ReadOptionalString(ref reader, "model", out model),
                "models" => ChatRequestFields.ReadModels(ref reader, out models),
                "input" => ReadInput(ref reader, out inputs, out single),
                "dimensions" => ReadDimensions(ref reader, out dimensions),
                "encoding_format" => ReadEncoding(ref reader, out encoding),
                "input_type" => ReadInputType(ref reader, out inputType),
                "user" => ChatRequestFields.ReadOptionalString(ref reader, "user", out user),
                "provider" => ProviderPreferencesParser.Parse(ref reader, out provider),
                _ => Skip(ref reader),
            };
            if (problem is not null)
            {
                return problem;
            }
            properties.Add(new JsonPropertySpan(name, start, (int)reader.BytesConsumed - start));
        }
        if (reader.Read())
        {
            return ApiError.BadRequest("Request body must be a single JSON object.");
        }
        if (inputs is null)
        {
            return ApiError.BadRequest("'input' is required: a string, an array of strings, an array of token ids, or an array of token-id arrays.", "input");
        }
        var requested = RequestedModels(model, models);
        if (requested.Count == 0)
        {
            return ApiError.BadRequest(
                "'model' is required: name an embedding model such as \"openai/text-embedding-3-small\" (see GET /api/v1/embeddings/models).", "model");
        }

        long bound = 0;
        var tokens = false;
        foreach (var input in inputs)
        {
            bound += input.Bound;
            tokens |= input.IsTokens;
        }
        var propertyArray = properties.ToArray();
        var routing = new ChatRequest
        {
            Body = body,
            Properties = propertyArray,
            Models = requested,
            Provider = provider,
            User = user,
            Prompt = new PromptShape { TextBytes = bound },
            ExcludeDataCollectingProviders = defaults.ExcludeDataCollectingProviders,
            Dialect = IngressDialect.Embeddings,
            ClientBody = body,
        };
        request = new EmbeddingsRequest
        {
            Body = body,
            Properties = propertyArray,
            Inputs = inputs,
            SingleInput = single,
            HasTokenInputs = tokens,
            Dimensions = dimensions,
            Encoding = encoding,
            InputType = inputType,
            Routing = routing,
        };
        return null;
    }

    private static ApiError? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary><c>model</c>, then each of <c>models[]</c> not already listed (ignoring case). No account default: it names a chat model.</summary>
    private static List<string> RequestedModels(string? model, List<string>? models)
    {
        var requested = new List<string>();
        if (!string.IsNullOrEmpty(model))
        {
            requested.Add(model);
        }
        var seen = new HashSet<string>(requested, StringComparer.OrdinalIgnoreCase);
        foreach (var fallback in models ?? [])
        {
            if (seen.Add(fallback))
            {
                requested.Add(fallback);
            }
        }
        return requested;
    }

    private static ApiError? ReadInput(ref Utf8JsonReader reader, out List<EmbeddingInput>? inputs, out bool single)
    {
        inputs = [];
        single = true;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return ReadText(ref reader, "input", inputs);
            case JsonTokenType.StartArray:
                break;
            default:
                inputs = null;
                return InvalidInput($"not {ChatRequestParser.Describe(reader.TokenType)}");
        }

        var arrayStart = (int)reader.TokenStartIndex;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            inputs = null;
            return InvalidInput("not an empty array");
        }
        if (reader.TokenType == JsonTokenType.Number)
        {
            // One input given as token ids: the array itself.
            var problem = ReadTokenIds(ref reader, "input", arrayStart, inputs);
            return problem;
        }
        single = false;
        var kind = reader.TokenType;
        do
        {
            var field = $"input[{inputs.Count}]";
            if (inputs.Count == EmbeddingsRequest.MaxInputs)
            {
                return ApiError.BadRequest($"'input' may hold at most {EmbeddingsRequest.MaxInputs} inputs per request.", "input");
            }
            if (reader.TokenType != kind)
            {
                return ApiError.BadRequest(
                    $"'{field}' is {ChatRequestParser.Describe(reader.TokenType)}, but 'input[0]' is {ChatRequestParser.Describe(kind)}: 'input' must be all strings or all token-id arrays.", "input");
            }
            var problem = kind switch
            {
                JsonTokenType.String => ReadText(ref reader, field, inputs),
                JsonTokenType.StartArray => ReadTokenArray(ref reader, field, inputs),
                _ => ApiError.BadRequest($"'{field}' must be a string or an array of token ids, not {ChatRequestParser.Describe(reader.TokenType)}.", "input"),
            };
            if (problem is not null)
            {
                return problem;
            }
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);
        return null;
    }

    private static ApiError? ReadText(ref Utf8JsonReader reader, string field, List<EmbeddingInput> inputs)
    {
        var bytes = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetByteCount(reader.GetString()!) : reader.ValueSpan.Length;
        if (bytes == 0)
        {
            return ApiError.BadRequest($"'{field}' is an empty string: every input must have text to embed.", "input");
        }
        var start = (int)reader.TokenStartIndex;
        inputs.Add(new EmbeddingInput(start..(int)reader.BytesConsumed, IsTokens: false, bytes));
        return null;
    }

    private static ApiError? ReadTokenArray(ref Utf8JsonReader reader, string field, List<EmbeddingInput> inputs)
    {
        var start = (int)reader.TokenStartIndex;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return ApiError.BadRequest($"'{field}' is an empty array: every input must have tokens to embed.", "input");
        }
        return ReadTokenIds(ref reader, field, start, inputs);
    }

    /// <summary>Reads token ids from the first (the reader is on it) to the closing bracket.</summary>
    private static ApiError? ReadTokenIds(ref Utf8JsonReader reader, string field, int arrayStart, List<EmbeddingInput> inputs)
    {
        long count = 0;
        do
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id) || id < 0)
            {
                return ApiError.BadRequest(
                    $"'{field}[{count}]' must be a token id (an integer from 0 to {int.MaxValue}), not {Describe(ref reader)}.", "input");
            }
            count++;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);
        inputs.Add(new EmbeddingInput(arrayStart..(int)reader.BytesConsumed, IsTokens: true, count));
        return null;
    }

    private static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan) : ChatRequestParser.Describe(reader.TokenType);

    private static ApiError InvalidInput(string what) => ApiError.BadRequest(
        $"'input' must be a string, an array of strings, an array of token ids, or an array of token-id arrays, {what}.", "input");

    private static ApiError? ReadDimensions(ref Utf8JsonReader reader, out int? dimensions)
    {
        dimensions = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value) || value is < 1 or > MaxDimensions)
        {
            return ApiError.BadRequest($"'dimensions' must be an integer from 1 to {MaxDimensions}.", "dimensions");
        }
        dimensions = value;
        return null;
    }

    private static ApiError? ReadEncoding(ref Utf8JsonReader reader, out EmbeddingEncoding encoding)
    {
        encoding = EmbeddingEncoding.Float;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("float"u8))
            {
                return null;
            }
            if (reader.ValueTextEquals("base64"u8))
            {
                encoding = EmbeddingEncoding.Base64;
                return null;
            }
        }
        return ApiError.BadRequest("'encoding_format' must be \"float\" or \"base64\".", "encoding_format");
    }

    private static ApiError? ReadInputType(ref Utf8JsonReader reader, out string? inputType)
    {
        inputType = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } value && EmbeddingInputTypes.GeminiTaskType(value) is not null)
        {
            inputType = value;
            return null;
        }
        return ApiError.BadRequest($"'input_type' must be one of: {EmbeddingInputTypes.Accepted}.", "input_type");
    }
}
