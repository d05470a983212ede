using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Requests;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's native embeddings, <c>models/{model}:batchEmbedContents</c>: one <c>requests[]</c> entry per input, its
/// text as the only part (copied as the client escaped it), <c>taskType</c> from <c>input_type</c> and
/// <c>outputDimensionality</c> from <c>dimensions</c>. Gemini reports no usage; the gateway counts the tokens.
/// </summary>
internal static class GeminiEmbeddings
{
    /// <summary>Gemini's limit on <c>requests</c> in one batch.</summary>
    public const int MaxBatch = 100;

    public static string? Unsupported(EmbeddingsRequest request) =>
        request.HasTokenInputs ? "Gemini embeds text only: token-id inputs cannot be sent to a Gemini endpoint. Send the text instead."
        : request.Inputs.Count > MaxBatch ? $"Gemini embeds at most {MaxBatch} inputs per request; this request has {request.Inputs.Count}. Split it."
        : null;

    public static PooledBufferWriter Write(EmbeddingsRequest request, string upstreamModel)
    {
        var output = new PooledBufferWriter(request.Body.Length + request.Inputs.Count * 128 + 64);
        var json = ThreadJsonWriter.Over(output);
        // Each entry names its model, as the API requires, in the resource form the URL uses.
        var model = upstreamModel.Contains('/', StringComparison.Ordinal) ? upstreamModel : "models/" + upstreamModel;
        var taskType = request.InputType is { } inputType ? EmbeddingInputTypes.GeminiTaskType(inputType) : null;
        json.WriteStartObject();
        json.WriteStartArray("requests"u8);
        foreach (var input in request.Inputs)
        {
            json.WriteStartObject();
            json.WriteString("model"u8, model);
            json.WriteStartObject("content"u8);
            json.WriteStartArray("parts"u8);
            json.WriteStartObject();
            json.WritePropertyName("text"u8);
            json.WriteRawValue(request.InputJson(input), skipInputValidation: true);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            if (taskType is not null)
            {
                json.WriteString("taskType"u8, taskType);
            }
            if (request.Dimensions is { } dimensions)
            {
                json.WriteNumber("outputDimensionality"u8, dimensions);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return output;
    }

    /// <summary><c>{"embeddings":[{"values":[…]}]}</c>, one per request in order.</summary>
    public static EmbeddingsResult Read(EmbeddingsRequest request, ReadOnlySpan<byte> body, Utf8JsonWriter data)
    {
        var count = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return EmbeddingsResult.Invalid("The provider returned a response that is not a batch of embeddings.", body);
            }
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("embeddings"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return EmbeddingsResult.Invalid("The provider's 'embeddings' is not an array.", body);
                }
                found = true;
                data.WriteStartArray();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    Range? values = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isValues = reader.ValueTextEquals("values"u8);
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        if (isValues)
                        {
                            values = start..(int)reader.BytesConsumed;
                        }
                    }
                    if (values is null || count >= request.Inputs.Count
                        || !EmbeddingVectorJson.TryWriteEntry(data, count, body[values.Value], request.Encoding))
                    {
                        return EmbeddingsResult.Invalid($"The provider's embedding {count} is not a vector.", body);
                    }
                    count++;
                }
                data.WriteEndArray();
            }
            if (!found || count != request.Inputs.Count)
            {
                return EmbeddingsResult.Invalid($"The provider returned {count} embeddings for {request.Inputs.Count} inputs.", body);
            }
        }
        catch (JsonException)
        {
            return EmbeddingsResult.Invalid("The provider returned a response that is not valid JSON.", body);
        }
        return new EmbeddingsResult(count, null, null);
    }
}
