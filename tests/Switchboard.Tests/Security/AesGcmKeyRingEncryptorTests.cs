using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Security;

namespace Switchboard.Tests.Security;

/// <summary>The AES-256-GCM sealing of key ring keys, without a gateway: round trip, rotation, tampering, a missing key.</summary>
public sealed class AesGcmKeyRingEncryptorTests
{
    private static readonly XElement Secret = XElement.Parse("""<masterKey><value>c2VjcmV0IGtleSBtYXRlcmlhbA==</value></masterKey>""");

    [Fact]
    public void A_sealed_key_holds_no_plaintext_and_opens_with_the_encryption_key_or_a_decryption_key()
    {
        var (current, old) = (NewKey(), NewKey());
        var sealedWithOld = new AesGcmKeyRingEncryptor(KeyRingSecret.From(old)).Encrypt(Secret);
        var sealedWithCurrent = new AesGcmKeyRingEncryptor(KeyRingSecret.From(current)).Encrypt(Secret);

        Assert.DoesNotContain("c2VjcmV0", sealedWithCurrent.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(typeof(AesGcmKeyRingDecryptor), sealedWithCurrent.DecryptorType);
        var decryptor = Decryptor(new KeyRingOptions { EncryptionKey = current, DecryptionKeys = [old] });
        Assert.Equal(Secret.ToString(), decryptor.Decrypt(sealedWithCurrent.EncryptedElement).ToString());
        Assert.Equal(Secret.ToString(), decryptor.Decrypt(sealedWithOld.EncryptedElement).ToString());
    }

    [Fact]
    public void A_key_sealed_with_a_secret_not_configured_is_refused_naming_the_settings()
    {
        var sealedKey = new AesGcmKeyRingEncryptor(KeyRingSecret.From(NewKey())).Encrypt(Secret);

        var refused = Assert.ThrowsAny<CryptographicException>(() => Decryptor(new KeyRingOptions { EncryptionKey = NewKey() }).Decrypt(sealedKey.EncryptedElement));

        Assert.Contains("Switchboard:DataProtection:EncryptionKey", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:DataProtection:DecryptionKeys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_sealed_key_is_refused()
    {
        var key = NewKey();
        var sealedKey = new AesGcmKeyRingEncryptor(KeyRingSecret.From(key)).Encrypt(Secret).EncryptedElement;
        var value = sealedKey.Element(AesGcmKeyRingEncryptor.Namespace + "value")!;
        var bytes = Convert.FromBase64String(value.Value);
        bytes[^1] ^= 1;
        value.Value = Convert.ToBase64String(bytes);

        Assert.ThrowsAny<CryptographicException>(() => Decryptor(new KeyRingOptions { EncryptionKey = key }).Decrypt(sealedKey));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(33)]
    public void Only_a_32_byte_key_is_accepted(int length)
    {
        var problem = KeyRingSecret.Problem(Convert.ToBase64String(new byte[length]));

        Assert.Equal($"must be the base64 of exactly 32 random bytes (openssl rand -base64 32); it decodes to {length}.", problem);
        Assert.Null(KeyRingSecret.Problem(NewKey()));
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static AesGcmKeyRingDecryptor Decryptor(KeyRingOptions options) =>
        new(new ServiceCollection().AddSingleton(new KeyRingSecrets(options)).BuildServiceProvider());
}
