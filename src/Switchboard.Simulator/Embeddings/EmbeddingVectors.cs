using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Simulator.Embeddings;

/// <summary>
/// Deterministic unit vectors: the same text (or token ids) and length always give the same vector, different texts
/// different ones, so a client can check it got each input's own vector back, in order. The components come from
/// SplitMix64 seeded by the input's SHA-256, scaled to length 1 as real embedding models return them.
/// </summary>
internal static class EmbeddingVectors
{
    public static float[] ForText(string text, int dimensions) => From(SHA256.HashData(Encoding.UTF8.GetBytes(text)), dimensions);

    public static float[] ForTokens(IReadOnlyList<int> tokens, int dimensions)
    {
        var bytes = new byte[tokens.Count * 4];
        for (var i = 0; i < tokens.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), tokens[i]);
        }
        return From(SHA256.HashData(bytes), dimensions);
    }

    /// <summary>OpenAI's base64 form: the float32 values little-endian, base64-encoded.</summary>
    public static string Base64(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        }
        return Convert.ToBase64String(bytes);
    }

    private static float[] From(byte[] hash, int dimensions)
    {
        var state = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        var vector = new float[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var component = (z >> 11) * (1.0 / (1UL << 53)) * 2 - 1; // uniform in [-1, 1)
            vector[i] = (float)component;
            norm += component * component;
        }
        var scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(vector[i] * scale);
        }
        return vector;
    }
}
