using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Keys;

/// <summary>The key format <c>sk-sb-v1-&lt;64 hex&gt;</c>: generation, hashing and the masked label.</summary>
internal static class ApiKeySecret
{
    public const string Prefix = "sk-sb-v1-";
    private const int HexLength = 64;

    /// <summary>Characters in a key's <see cref="Hash"/>.</summary>
    public const int HashLength = 64;

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));

    public static bool IsWellFormed(ReadOnlySpan<char> key) =>
        key.Length == Prefix.Length + HexLength && key.StartsWith(Prefix, StringComparison.Ordinal) && IsLowerHex(key[Prefix.Length..]);

    /// <summary>Lower-case hex SHA-256 of the whole key: what is stored, and the key's public <c>hash</c>.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<char> hex = stackalloc char[HashLength];
        WriteHash(key, hex);
        return new string(hex);
    }

    /// <summary>Writes <see cref="Hash"/> into <paramref name="hex"/> (<see cref="HashLength"/> long): no string per request.</summary>
    public static void WriteHash(ReadOnlySpan<char> key, Span<char> hex)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(key.Length, 256))];
        var length = Encoding.UTF8.GetBytes(key[..Math.Min(key.Length, 256)], utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        Convert.TryToHexStringLower(hash, hex, out _);
    }

    /// <summary>Enough to recognise a key in a list, as OpenRouter shows it: <c>sk-sb-v1-3f2...9ab</c>.</summary>
    public static string Label(string key) => $"{key[..(Prefix.Length + 3)]}...{key[^3..]}";

    private static bool IsLowerHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}
