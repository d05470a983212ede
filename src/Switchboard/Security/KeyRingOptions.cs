using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Security;

/// <summary>
/// <c>Switchboard:DataProtection</c>: how the data-protection key ring (the keys behind sessions, anti-forgery tokens
/// and accounts' provider keys) is encrypted at rest. Independent of where the ring is stored (the database).
/// </summary>
internal sealed class KeyRingOptions
{
    /// <summary>A PKCS#12 file (<c>.pfx</c>/<c>.p12</c>) with an RSA certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password. Prefer the environment (<c>Switchboard__DataProtection__CertificatePassword</c>).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), best from a secret in the environment: new keys
    /// are encrypted with it (AES-256-GCM, <see cref="AesGcmKeyRingEncryptor"/>). Takes precedence over the
    /// certificate for new keys; the certificate still decrypts the keys it encrypted.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Earlier encryption keys (same form), kept only to decrypt keys they encrypted: what makes rotation possible.</summary>
    public List<string> DecryptionKeys { get; set; } = [];

    /// <summary>Refuse to start without <see cref="CertificatePath"/> or <see cref="EncryptionKey"/>, in any environment.</summary>
    public bool RequireEncryption { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);

    public bool HasEncryptionKey => !string.IsNullOrWhiteSpace(EncryptionKey);

    public X509Certificate2 LoadCertificate() =>
        X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);

    public IEnumerable<string> Problems(string section)
    {
        var problems = new List<string>();
        if (HasEncryptionKey && KeyRingSecret.Problem(EncryptionKey!) is { } keyProblem)
        {
            problems.Add($"{section}:EncryptionKey {keyProblem}");
        }
        for (var i = 0; i < DecryptionKeys.Count; i++)
        {
            if (KeyRingSecret.Problem(DecryptionKeys[i]) is { } problem)
            {
                problems.Add($"{section}:DecryptionKeys:{i} {problem}");
            }
        }
        if (!IsConfigured)
        {
            if (RequireEncryption && !HasEncryptionKey)
            {
                problems.Add($"{section}:EncryptionKey or {section}:CertificatePath is required because {section}:RequireEncryption is true.");
            }
            return problems;
        }
        if (CertificateProblem() is { } certificate)
        {
            problems.Add($"{section}:CertificatePath ('{CertificatePath}') {certificate}");
        }
        return problems;
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
