using System.Security.Cryptography;

namespace Switchboard.Security;

/// <summary>
/// One AES-256 key for the key ring (<c>Switchboard:DataProtection:EncryptionKey</c> or one of its
/// <c>DecryptionKeys</c>), with the id written beside what it encrypts so the right one is found again after a
/// rotation. The id is a hash of the key: it names the key without revealing it.
/// </summary>
internal sealed class KeyRingSecret
{
    public const int Length = 32;

    private KeyRingSecret(byte[] key)
    {
        Key = key;
        var prefix = "switchboard-keyring-id:"u8;
        var input = new byte[prefix.Length + key.Length];
        prefix.CopyTo(input);
        key.CopyTo(input, prefix.Length);
        Id = Convert.ToHexStringLower(SHA256.HashData(input).AsSpan(0, 8));
    }

    public byte[] Key { get; }

    /// <summary>16 hex digits, stable for the key.</summary>
    public string Id { get; }

    /// <summary>Why <paramref name="base64"/> is not a usable key (phrased to follow the setting's name); null when it is.</summary>
    public static string? Problem(string base64)
    {
        var bytes = Decode(base64);
        return bytes is null ? "must be base64 (of 32 random bytes: openssl rand -base64 32)."
            : bytes.Length != Length ? $"must be the base64 of exactly {Length} random bytes (openssl rand -base64 32); it decodes to {bytes.Length}."
            : null;
    }

    /// <summary>The key, once <see cref="Problem"/> said it is usable (options are validated at start-up).</summary>
    public static KeyRingSecret From(string base64) =>
        Decode(base64) is { Length: Length } bytes ? new KeyRingSecret(bytes) : throw new ArgumentException("Not a 32-byte base64 key.", nameof(base64));

    private static byte[]? Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString() => $"key ring secret {Id}"; // never the key
}
