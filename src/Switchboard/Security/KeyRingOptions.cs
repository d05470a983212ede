using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Security;

/// <summary>
/// <c>Switchboard:DataProtection</c>: how the data-protection key ring (the keys behind sessions, anti-forgery tokens
/// and accounts' provider keys) is encrypted at rest. Independent of where the ring is stored.
/// </summary>
internal sealed class KeyRingOptions
{
    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) with an RSA certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password. Prefer the environment (<c>Switchboard__DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Refuse to start without <see cref="CertificatePath"/>, in any environment.</summary>
    public bool RequireEncryption { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);

    public X509Certificate2 LoadCertificate() =>
        X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);

    public IEnumerable<string> Problems(string section)
    {
        if (!IsConfigured)
        {
            return RequireEncryption
                ? [$"{section}:CertificatePath is required because {section}:RequireEncryption is true."]
                : [];
        }
        var problem = CertificateProblem();
        return problem is null ? [] : [$"{section}:CertificatePath ('{CertificatePath}') {problem}"];
    }

    private string? CertificateProblem()
    {
        if (!File.Exists(CertificatePath))
        {
            return "does not exist.";
        }
        try
        {
            using var certificate = LoadCertificate();
            using var key = certificate.GetRSAPrivateKey();
            return key is null ? "must hold an RSA certificate with its private key." : null;
        }
        catch (CryptographicException ex)
        {
            return $"could not be read (wrong {nameof(CertificatePassword)}, or not PKCS#12): {ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"could not be read: {ex.Message}";
        }
    }
}
