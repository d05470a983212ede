using System.Text;
using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.OpenAI;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Embeddings;

/// <summary>
/// <c>POST [/{provider}]/v1/embeddings</c>: OpenAI's embeddings API. Validates like the real API (unknown fields
/// included, so a gateway that forwards its own fields is caught), answers with <see cref="EmbeddingVectors"/> of
/// <c>dimensions</c> (default 1,536) as floats or base64, and reports usage at the simulator's shared estimate
/// (<see cref="PromptText"/>: a text's bytes / 4, at least 1; a token array its length). Latency, hang, status,
/// <c>usage</c>, <c>omit_usage</c> and the whole-body faults of a script apply.
/// </summary>
internal sealed class OpenAIEmbeddingsEndpoint
{
    public const int DefaultDimensions = 1536;
    private const int MaxInputs = 2048;
    private static readonly byte[] MalformedBody = """{"object":"list","data":[{"broken"""u8.ToArray();
    private static readonly HashSet<string> Fields = ["model", "input", "dimensions", "encoding_format", "user", "simulator"];

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public OpenAIEmbeddingsEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = RespondAsync;
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);

    private static async Task RespondAsync(SimulatedExchange exchange, byte[] body)
    {
        var response = exchange.Http.Response;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await OpenAIErrorWriter.WriteInvalidRequestAsync(response, new OpenAIRequestError(
                "We could not parse the JSON body of your request.", null), exchange.Aborted);
            return;
        }
        using (document)
        {
            if (!TryRead(document.RootElement, out var request, out var invalid))
            {
                await OpenAIErrorWriter.WriteInvalidRequestAsync(response, invalid, exchange.Aborted);
                return;
            }
            SimulatorScript? script;
            try
            {
                script = ScriptLocator.Resolve(body, document.RootElement, exchange.Provider);
            }
            catch (ScriptFormatException ex)
            {
                await OpenAIErrorWriter.WriteInvalidRequestAsync(response, new OpenAIRequestError(ex.Message, "simulator"), exchange.Aborted);
                return;
            }

            var plan = ResponsePlanner.Create(script, new GenerationRequest(request.PromptTokens, null, [], null, "call_"));
            if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                    OpenAIErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
            {
                return;
            }
            await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, (request, plan), static (exchange, state) =>
                ResponseBodies.WriteJsonAsync(exchange.Http.Response, StatusCodes.Status200OK, state,
                    static (json, state) => Write(json, state.request, state.plan), exchange.Aborted));
        }
    }

    private static void Write(Utf8JsonWriter json, EmbeddingsRequest request, ResponsePlan plan)
    {
        json.WriteStartObject();
        json.WriteString("object"u8, "list"u8);
        json.WriteStartArray("data"u8);
        for (var i = 0; i < request.Vectors.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("object"u8, "embedding"u8);
            json.WriteNumber("index"u8, i);
            if (request.Base64)
            {
                json.WriteString("embedding"u8, EmbeddingVectors.Base64(request.Vectors[i]));
            }
            else
            {
                json.WriteStartArray("embedding"u8);
                foreach (var component in request.Vectors[i])
                {
                    json.WriteNumberValue(component);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("model"u8, request.Model);
        if (plan.Usage is { } usage)
        {
            json.WriteStartObject("usage"u8);
            json.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
            json.WriteNumber("total_tokens"u8, usage.PromptTokens);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private sealed record EmbeddingsRequest(string Model, IReadOnlyList<float[]> Vectors, bool Base64, int PromptTokens);

    private static bool TryRead(JsonElement root, out EmbeddingsRequest request, out OpenAIRequestError error)
    {
        request = null!;
        error = null!;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = new OpenAIRequestError("The request body must be a JSON object.", null);
            return false;
        }
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                error = new OpenAIRequestError($"Unrecognized request argument supplied: {property.Name}", null);
                return false;
            }
        }
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            error = new OpenAIRequestError("you must provide a model parameter", "model");
            return false;
        }
        var modelName = model.GetString()!;
        var dimensions = DefaultDimensions;
        if (root.TryGetProperty("dimensions", out var dims) && dims.ValueKind != JsonValueKind.Null)
        {
            if (dims.ValueKind != JsonValueKind.Number || !dims.TryGetInt32(out dimensions) || dimensions < 1)
            {
                error = new OpenAIRequestError($"Invalid value for 'dimensions' = {dims.GetRawText()}. Must be an integer greater than 0.", "dimensions");
                return false;
            }
            if (modelName.Contains("ada-002", StringComparison.Ordinal))
            {
                error = new OpenAIRequestError("This model does not support specifying dimensions.", "dimensions");
                return false;
            }
        }
        var base64 = false;
        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            if (format.ValueKind != JsonValueKind.String || format.GetString() is not ("float" or "base64"))
            {
                error = new OpenAIRequestError($"Invalid value for 'encoding_format': {format.GetRawText()}. Supported values are: 'float' and 'base64'.", "encoding_format");
                return false;
            }
            base64 = format.GetString() == "base64";
        }
        if (!root.TryGetProperty("input", out var input))
        {
            error = new OpenAIRequestError("'input' is a required property", "input");
            return false;
        }
        var vectors = new List<float[]>();
        var tokens = 0;
        if (!TryReadInputs(input, dimensions, vectors, ref tokens))
        {
            error = new OpenAIRequestError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input");
            return false;
        }
        if (vectors.Count > MaxInputs)
        {
            error = new OpenAIRequestError($"'$.input' is too long: at most {MaxInputs} inputs per request.", "input");
            return false;
        }
        request = new EmbeddingsRequest(modelName, vectors, base64, tokens);
        return true;
    }

    /// <summary>A string, an array of strings, an array of token ids, or an array of token-id arrays; nothing empty.</summary>
    private static bool TryReadInputs(JsonElement input, int dimensions, List<float[]> vectors, ref int tokens)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String when input.GetString() is { Length: > 0 } text:
                vectors.Add(EmbeddingVectors.ForText(text, dimensions));
                tokens += PromptText.Tokens(Encoding.UTF8.GetByteCount(text));
                return true;
            case JsonValueKind.Array when input.GetArrayLength() > 0:
                var first = input[0].ValueKind;
                if (first == JsonValueKind.Number)
                {
                    return TryReadTokens(input, dimensions, vectors, ref tokens);
                }
                foreach (var item in input.EnumerateArray())
                {
                    var ok = (first, item.ValueKind) switch
                    {
                        (JsonValueKind.String, JsonValueKind.String) => item.GetString() is { Length: > 0 } text
                            && Add(vectors, EmbeddingVectors.ForText(text, dimensions), ref tokens, PromptText.Tokens(Encoding.UTF8.GetByteCount(text))),
                        (JsonValueKind.Array, JsonValueKind.Array) => item.GetArrayLength() > 0 && TryReadTokens(item, dimensions, vectors, ref tokens),
                        _ => false,
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadTokens(JsonElement array, int dimensions, List<float[]> vectors, ref int tokens)
    {
        var ids = new List<int>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
            {
                return false;
            }
            ids.Add(id);
        }
        return Add(vectors, EmbeddingVectors.ForTokens(ids, dimensions), ref tokens, ids.Count);
    }

    private static bool Add(List<float[]> vectors, float[] vector, ref int tokens, int count)
    {
        vectors.Add(vector);
        tokens += count;
        return true;
    }
}
