using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Switchboard.Security;

/// <summary>
/// Whether this replica can read the key ring the store holds: every key that is not revoked must decrypt with this
/// replica's <c>Switchboard:DataProtection</c> settings, since sessions and provider keys protected under any of them
/// (expired ones included) are unreadable without it. Checked at start-up under the start-up lock and then every
/// minute (<see cref="KeyRingWatch"/>): one read of the ring and one decryption per key, a handful of keys. Readiness
/// reads the last answer (<see cref="Problem"/>), so a probe costs nothing.
/// </summary>
internal sealed class KeyRingHealth(IServiceProvider services)
{
    private volatile string? _problem;

    /// <summary>Why this replica cannot read the stored ring (naming the setting to fix); null when it can.</summary>
    public string? Problem => _problem;

    /// <summary>How many keys the last check found, and how many of them this replica cannot decrypt.</summary>
    public (int Keys, int Unreadable) Last { get; private set; }

    /// <summary>Reads the stored ring and decrypts every key; sets and returns <see cref="Problem"/>.</summary>
    public string? Check()
    {
        // Resolved here, not injected: the repository that the key manager reads through depends on this class.
        var keyManager = services.GetRequiredService<IKeyManager>();
        var repository = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository!;
        var stored = repository.GetAllElements()
            .Where(e => e.Name == "key" && Guid.TryParse((string?)e.Attribute("id"), out _))
            .Select(e => Guid.Parse((string)e.Attribute("id")!))
            .ToHashSet();
        var keys = keyManager.GetAllKeys();
        string? firstReason = null;
        var unreadable = stored.Count(id => !keys.Any(k => k.KeyId == id)); // the key manager could not even parse these
        if (unreadable > 0)
        {
            firstReason = "a stored key could not be parsed";
        }
        foreach (var key in keys.Where(k => !k.IsRevoked))
        {
            try
            {
                _ = key.Descriptor; // decrypts the key's secret with the configured certificate or encryption key
            }
            catch (Exception ex)
            {
                unreadable++;
                firstReason ??= Reason(ex);
            }
        }
        Last = (stored.Count, unreadable);
        _problem = unreadable == 0 ? null
            : $"{unreadable} of {stored.Count} stored data-protection key(s) cannot be decrypted on this replica ({firstReason}). " +
              "Give it the settings of the replicas that wrote them (Switchboard:DataProtection:EncryptionKey and DecryptionKeys, " +
              "or Switchboard:DataProtection:CertificatePath); " +
              "until then it cannot read their sessions or accounts' stored provider keys.";
        return _problem;
    }

    /// <summary>The decryptors' own messages name the setting; anything else is named by type only.</summary>
    private static string Reason(Exception ex)
    {
        var inner = ex.GetBaseException();
        return inner is CryptographicException ? inner.Message : inner.GetType().Name;
    }
}
