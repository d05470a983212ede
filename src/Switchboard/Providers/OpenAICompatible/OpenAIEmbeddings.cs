using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Switchboard.Infrastructure;
using Switchboard.Requests;

namespace Switchboard.Providers.OpenAICompatible;

/// <summary>
/// OpenAI's <c>POST /embeddings</c>, spoken by OpenAI, Mistral, DeepInfra and most hosts. The request is the client's
/// bytes with the gateway's fields left out and <c>model</c> swapped, as for chat; the response's vectors are copied
/// (or re-encoded, if the host ignored <c>encoding_format</c>) under the gateway's envelope.
/// </summary>
internal static class OpenAIEmbeddings
{
    /// <summary>
    /// The gateway's fields, and <c>input_type</c>: OpenRouter's, which none of the OpenAI-compatible hosts in the
    /// catalog takes (OpenAI rejects unknown fields).
    /// </summary>
    private static readonly FrozenSet<string> NotForwarded = FrozenSet.Create(StringComparer.Ordinal,
        "model", "models", "provider", "input_type", "route", "transforms", "usage", "plugins", "session_id", "trace", "debug");

    public static PooledBufferWriter Write(EmbeddingsRequest request, JsonEncodedText upstreamModel)
    {
        var output = new PooledBufferWriter(request.Body.Length + upstreamModel.EncodedUtf8Bytes.Length + 32);
        output.Write("{\"model\":\""u8);
        output.Write(upstreamModel.EncodedUtf8Bytes);
        output.Write("\""u8);
        foreach (var property in request.Properties.Span)
        {
            if (!NotForwarded.Contains(property.Name))
            {
                output.Write(","u8);
                output.Write(request.Body.Span.Slice(property.Start, property.Length));
            }
        }
        output.Write("}"u8);
        return output;
    }

    public static EmbeddingsResult Read(EmbeddingsRequest request, ReadOnlySpan<byte> body, Utf8JsonWriter data)
    {
        Range[]? vectors = null;
        Range? usage = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return EmbeddingsResult.Invalid("The provider returned a response that is not an embeddings list.", body);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (!TryReadData(ref reader, request.Inputs.Count, out vectors))
                    {
                        return EmbeddingsResult.Invalid("The provider's embeddings do not match the inputs (missing, repeated or out-of-range indexes).", body);
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return EmbeddingsResult.Failed(OpenAIErrors.FromInBandError(body[start..(int)reader.BytesConsumed], body));
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    usage = start..(int)reader.BytesConsumed;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return EmbeddingsResult.Invalid("The provider returned a response that is not valid JSON.", body);
        }
        if (vectors is null)
        {
            return EmbeddingsResult.Invalid("The provider returned a response without 'data'.", body);
        }

        data.WriteStartArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            if (!EmbeddingVectorJson.TryWriteEntry(data, i, body[vectors[i]], request.Encoding))
            {
                return EmbeddingsResult.Invalid($"The provider's embedding {i} is not a vector.", body);
            }
        }
        data.WriteEndArray();
        return new EmbeddingsResult(vectors.Length, usage is { } range ? TokenUsage.Parse(body[range]) : null, null);
    }

    /// <summary>Each entry's <c>embedding</c> by its <c>index</c> (entries may come in any order); false unless there is exactly one per input.</summary>
    private static bool TryReadData(ref Utf8JsonReader reader, int inputs, out Range[]? vectors)
    {
        vectors = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var found = new Range[inputs];
        var seen = new bool[inputs];
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int? index = null;
            Range? vector = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : -1;
                }
                else if (reader.ValueTextEquals("embedding"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    vector = start..(int)reader.BytesConsumed;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            var at = index ?? position; // a host that leaves out index lists them in order
            if (vector is null || at < 0 || at >= inputs || seen[at])
            {
                return false;
            }
            (found[at], seen[at]) = (vector.Value, true);
            position++;
        }
        if (reader.TokenType != JsonTokenType.EndArray || position != inputs)
        {
            return false;
        }
        vectors = found;
        return true;
    }
}
