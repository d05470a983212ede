using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Security;

/// <summary>
/// Encrypts the data-protection key ring at rest (<see cref="KeyRingOptions"/>): with
/// <c>Switchboard:DataProtection:EncryptionKey</c> (<see cref="AesGcmKeyRingEncryptor"/>) when it is set, else with the
/// configured certificate (<see cref="CertificateKeyRingEncryptor"/>). Each key's XML names its decryptor, so keys
/// encrypted either way stay readable as long as their secret is configured. Only the encryptor is set here, never
/// the repository (<see cref="DatabaseXmlRepository"/>).
/// </summary>
internal static class KeyRingEncryption
{
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services)
    {
        services.AddSingleton<KeyRingCertificate>();
        services.AddSingleton(sp => new KeyRingSecrets(sp.GetRequiredService<IOptions<SwitchboardOptions>>().Value.DataProtection));
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingCertificate, KeyRingSecrets>((keys, certificate, secrets) =>
        {
            if (secrets.Current is { } secret)
            {
                keys.XmlEncryptor = new AesGcmKeyRingEncryptor(secret);
            }
            else if (certificate.Value is { } value)
            {
                keys.XmlEncryptor = new CertificateKeyRingEncryptor(value);
            }
        });
        return services;
    }

    /// <summary>Whether <paramref name="key"/> (a key element) is encrypted the way new keys are now: its secret is as safe as configured.</summary>
    public static bool EncryptedAsConfigured(XElement key, KeyRingSecrets secrets, X509Certificate2? certificate)
    {
        if (secrets.Current is { } secret)
        {
            return key.Descendants(AesGcmKeyRingEncryptor.Element).Any(e => AesGcmKeyRingEncryptor.KeyIdOf(e) == secret.Id);
        }
        if (certificate is not null)
        {
            // An encrypted key holds <encryptedSecret decryptorType="…CertificateKeyRingDecryptor…"> where a plain one holds its secret.
            return key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret"
                && ((string?)e.Attribute("decryptorType"))?.Contains(nameof(CertificateKeyRingDecryptor), StringComparison.Ordinal) == true);
        }
        return true;
    }

    /// <summary>Whether the key element holds its secret encrypted at all.</summary>
    public static bool IsEncrypted(XElement key) => key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret");
}

/// <summary>The configured certificate, loaded once (validated at start-up by <see cref="KeyRingOptions.Problems"/>); null when none is.</summary>
internal sealed class KeyRingCertificate(IOptions<SwitchboardOptions> options) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() =>
        options.Value.DataProtection.IsConfigured ? options.Value.DataProtection.LoadCertificate() : null);

    public X509Certificate2? Value => _certificate.Value;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value?.Dispose();
        }
    }
}
