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
    /// <returns>false, having written nothing, when <paramref name="vector"/> is neither.</returns>
    public static bool TryWriteEntry(Utf8JsonWriter json, int index, ReadOnlySpan<byte> vector, EmbeddingEncoding encoding)
    {
        var reader = new Utf8JsonReader(vector);
        if (!reader.Read())
        {
            return false;
        }
        switch (reader.TokenType, encoding)
        {
            case (JsonTokenType.StartArray, EmbeddingEncoding.Float):
                if (!AllNumbers(ref reader))
                {
                    return false;
                }
                WriteHead(json, index);
                json.WriteRawValue(vector, skipInputValidation: true);
                break;
            case (JsonTokenType.String, EmbeddingEncoding.Base64):
                if (!reader.TryGetBytesFromBase64(out var sent) || sent.Length % 4 != 0)
                {
                    return false;
                }
                WriteHead(json, index);
                json.WriteRawValue(vector, skipInputValidation: true);
                break;
            case (JsonTokenType.StartArray, EmbeddingEncoding.Base64):
                if (Float32(ref reader) is not { } packed)
                {
                    return false;
                }
                WriteHead(json, index);
                json.WriteBase64StringValue(packed.WrittenSpan);
                break;
            case (JsonTokenType.String, EmbeddingEncoding.Float):
                if (!reader.TryGetBytesFromBase64(out var bytes) || bytes.Length % 4 != 0)
                {
                    return false;
                }
                WriteHead(json, index);
                json.WriteStartArray();
                for (var i = 0; i < bytes.Length; i += 4)
                {
                    json.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i)));
                }
                json.WriteEndArray();
                break;
            default:
                return false;
        }
        json.WriteEndObject();
        return true;
    }

    private static void WriteHead(Utf8JsonWriter json, int index)
    {
        json.WriteStartObject();
        json.WriteString("object"u8, "embedding"u8);
        json.WriteNumber("index"u8, index);
        json.WritePropertyName("embedding"u8);
    }

    /// <summary>Every element a number, or the client would get something that is not a vector.</summary>
    private static bool AllNumbers(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                return false;
            }
        }
        return true;
    }

    private static ArrayBufferWriter<byte>? Float32(ref Utf8JsonReader reader)
    {
        var bytes = new ArrayBufferWriter<byte>(4096);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value))
            {
                return null;
            }
            BinaryPrimitives.WriteSingleLittleEndian(bytes.GetSpan(4), value);
            bytes.Advance(4);
        }
        return bytes;
    }
}
