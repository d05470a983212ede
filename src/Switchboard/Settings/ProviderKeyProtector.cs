using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Settings;

/// <summary>
/// Encrypts accounts' provider keys for the store with ASP.NET Core data protection (authenticated AES), under the
/// key ring in <c>&lt;DataDirectory&gt;/web-keys</c>: a copy of the database alone reveals no key.
/// </summary>
internal sealed class ProviderKeyProtector(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.AccountProviderKeys.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret; null when the ciphertext was made with a key ring this gateway does not have.</summary>
    public string? TryUnprotect(string ciphertext)
    {
        try
        {
            return _protector.Unprotect(ciphertext);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
