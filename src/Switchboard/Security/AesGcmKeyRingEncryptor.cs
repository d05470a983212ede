using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Switchboard.Security;

/// <summary>
/// Encrypts each data-protection key with <c>Switchboard:DataProtection:EncryptionKey</c> (AES-256-GCM, a random
/// nonce per key), for fleets that hand every replica the same secret from their orchestrator rather than a
/// certificate file. The result names the key it was encrypted with by id, so rotated keys are found again.
/// </summary>
internal sealed class AesGcmKeyRingEncryptor(KeyRingSecret secret) : IXmlEncryptor
{
    public static readonly XNamespace Namespace = "urn:switchboard:keyring:aes-gcm";
    public static readonly XName Element = Namespace + "encryptedKey";

    /// <summary>Binds the ciphertext to its purpose: it cannot be passed off as anything else encrypted with the key.</summary>
    internal static readonly byte[] AssociatedData = "switchboard-keyring-v1"u8.ToArray();

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(secret.Key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var encrypted = new XElement(Element,
            new XAttribute("keyId", secret.Id),
            new XComment(" Encrypted with AES-256-GCM under Switchboard:DataProtection:EncryptionKey (this id). "),
            new XElement(Namespace + "value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(encrypted, typeof(AesGcmKeyRingDecryptor));
    }

    /// <summary>The id of the key an element written by <see cref="Encrypt"/> was encrypted with.</summary>
    public static string? KeyIdOf(XElement encryptedKey) => encryptedKey.Name == Element ? (string?)encryptedKey.Attribute("keyId") : null;
}

/// <summary>
/// Decrypts what <see cref="AesGcmKeyRingEncryptor"/> wrote, with <c>EncryptionKey</c> or one of <c>DecryptionKeys</c>
/// (found through the services data protection passes when it creates a decryptor: the type is named in the XML).
/// </summary>
internal sealed class AesGcmKeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var id = AesGcmKeyRingEncryptor.KeyIdOf(encryptedElement)
            ?? throw new CryptographicException("This data-protection key is not in the form Switchboard:DataProtection:EncryptionKey writes.");
        var secrets = services.GetService<KeyRingSecrets>();
        var secret = secrets?.Find(id) ?? throw new CryptographicException(
            $"This data-protection key is encrypted with key ring secret {id}, which is neither Switchboard:DataProtection:EncryptionKey " +
            $"nor one of Switchboard:DataProtection:DecryptionKeys here (configured: {secrets?.Describe() ?? "none"}).");
        var sealedBytes = Convert.FromBase64String(encryptedElement.Element(AesGcmKeyRingEncryptor.Namespace + "value")?.Value
            ?? throw new CryptographicException("This encrypted data-protection key has no value."));
        if (sealedBytes.Length < 28)
        {
            throw new CryptographicException("This encrypted data-protection key is truncated.");
        }
        var plaintext = new byte[sealedBytes.Length - 28];
        using (var aes = new AesGcm(secret.Key, 16))
        {
            // Throws AuthenticationTagMismatchException (a CryptographicException) if anything was altered.
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plaintext, AesGcmKeyRingEncryptor.AssociatedData);
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>The configured AES keys: the one that encrypts (if any) and those that only decrypt, by id.</summary>
internal sealed class KeyRingSecrets
{
    private readonly Dictionary<string, KeyRingSecret> _byId = new(StringComparer.Ordinal);

    public KeyRingSecrets(KeyRingOptions options)
    {
        if (options.HasEncryptionKey)
        {
            Current = KeyRingSecret.From(options.EncryptionKey!);
            _byId[Current.Id] = Current;
        }
        foreach (var old in options.DecryptionKeys)
        {
            var secret = KeyRingSecret.From(old);
            _byId.TryAdd(secret.Id, secret);
        }
    }

    /// <summary>The key new data-protection keys are encrypted with; null when none is configured.</summary>
    public KeyRingSecret? Current { get; }

    public KeyRingSecret? Find(string id) => _byId.GetValueOrDefault(id);

    public string Describe() => _byId.Count == 0 ? "none" : string.Join(", ", _byId.Keys);
}
