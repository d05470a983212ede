using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Switchboard.Security;

/// <summary>
/// Encrypts each data-protection key with the configured certificate (XML encryption: an AES key wrapped with the
/// certificate's RSA key), as ASP.NET Core's <c>ProtectKeysWithCertificate</c> does. Ours rather than that one because
/// its decryption side only takes a certificate loaded while services are registered, before configuration is
/// complete; <see cref="CertificateKeyRingDecryptor"/> finds the certificate when it is needed.
/// </summary>
internal sealed class CertificateKeyRingEncryptor(X509Certificate2 certificate) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        // EncryptedXml works on XmlDocument, and does not encrypt a document's root well: wrap it in <root/>.
        var document = new XmlDocument();
        document.Load(new XElement("root", plaintextElement).CreateReader());
        var encrypted = new EncryptedXml().Encrypt((XmlElement)document.DocumentElement!.FirstChild!, certificate);
        return new EncryptedXmlInfo(XElement.Parse(encrypted.GetXml().OuterXml), typeof(CertificateKeyRingDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="CertificateKeyRingEncryptor"/> wrote, with the configured certificate (found through the
/// services data protection passes when it creates a decryptor: the type is named in each key's XML).
/// </summary>
internal sealed class CertificateKeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var certificate = services.GetService<KeyRingCertificate>()?.Value
            ?? throw new CryptographicException(
                "This data-protection key is encrypted with a certificate, and none is configured (Switchboard:DataProtection:CertificatePath).");
        var document = new XmlDocument();
        document.Load(new XElement("root", encryptedElement).CreateReader());
        new WithCertificate(document, certificate).DecryptDocument();
        return XElement.Load(document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree());
    }

    /// <summary>Unwraps the AES key with the certificate's private key instead of looking in a certificate store (Linux has none).</summary>
    private sealed class WithCertificate(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            var forUs = encryptedKey.KeyInfo?.OfType<KeyInfoX509Data>()
                .SelectMany(data => data.Certificates?.OfType<X509Certificate2>() ?? [])
                .Any(c => c.Thumbprint == certificate.Thumbprint) ?? false;
            if (!forUs)
            {
                throw new CryptographicException(
                    "This data-protection key was encrypted with another certificate than Switchboard:DataProtection:CertificatePath.");
            }
            using var key = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("The certificate has no RSA private key.");
            return DecryptKey(encryptedKey.CipherData.CipherValue!, key, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
        }
    }
}
