using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Settings;

/// <summary>
/// Encrypts accounts' provider keys for the store with ASP.NET Core data protection (authenticated AES), under the
/// data-protection key ring, which the database holds too: encrypt the ring (<c>Switchboard:DataProtection</c>) for a
/// copy of the database alone to reveal no key.
/// </summary>
internal sealed class ProviderKeyProtector(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.AccountProviderKeys.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret; null when the ciphertext was made with a key this replica cannot decrypt (or does not have).</summary>
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
