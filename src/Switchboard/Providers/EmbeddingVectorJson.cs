using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Switchboard.Requests;

namespace Switchboard.Providers;

/// <summary>
/// One <c>data</c> entry of an embeddings response, <c>{"object":"embedding","index","embedding"}</c>, with the vector
/// as the client asked: a provider's vector in the same encoding is copied as sent (numbers exactly as the provider
/// wrote them); otherwise it is converted, between a JSON array of numbers and base64 of little-endian float32, as
/// OpenAI encodes it.
/// </summary>
internal static class EmbeddingVectorJson
{
    /// <param name="vector">The provider's vector: a JSON array of numbers or a base64 JSON string.</param>
    /// <returns>false when <paramref name="vector"/> is neither.</returns>
    public static bool TryWriteEntry(Utf8JsonWriter json, int index, ReadOnlySpan<byte> vector, EmbeddingEncoding encoding)
    {
        var reader = new Utf8JsonReader(vector);
        if (!reader.Read())
        {
            return false;
        }
        json.WriteStartObject();
        json.WriteString("object"u8, "embedding"u8);
        json.WriteNumber("index"u8, index);
        json.WritePropertyName("embedding"u8);
        var written = (reader.TokenType, encoding) switch
        {
            (JsonTokenType.StartArray, EmbeddingEncoding.Float) or (JsonTokenType.String, EmbeddingEncoding.Base64) => CopyVerbatim(json, ref reader, vector),
            (JsonTokenType.StartArray, EmbeddingEncoding.Base64) => WriteBase64(json, ref reader),
            (JsonTokenType.String, EmbeddingEncoding.Float) => WriteFloats(json, ref reader),
            _ => false,
        };
        json.WriteEndObject();
        return written;
    }

    private static bool CopyVerbatim(Utf8JsonWriter json, ref Utf8JsonReader reader, ReadOnlySpan<byte> vector)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // Every element must be a number, or the client would get something that is not a vector.
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    return false;
                }
            }
        }
        json.WriteRawValue(vector, skipInputValidation: true);
        return true;
    }

    private static bool WriteBase64(Utf8JsonWriter json, ref Utf8JsonReader reader)
    {
        var bytes = new ArrayBufferWriter<byte>(4096);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value))
            {
                return false;
            }
            BinaryPrimitives.WriteSingleLittleEndian(bytes.GetSpan(4), value);
            bytes.Advance(4);
        }
        json.WriteBase64StringValue(bytes.WrittenSpan);
        return true;
    }

    private static bool WriteFloats(Utf8JsonWriter json, ref Utf8JsonReader reader)
    {
        if (!reader.TryGetBytesFromBase64(out var bytes) || bytes.Length % 4 != 0)
        {
            return false;
        }
        json.WriteStartArray();
        for (var i = 0; i < bytes.Length; i += 4)
        {
            json.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i)));
        }
        json.WriteEndArray();
        return true;
    }
}
