using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Switchboard.Data;

namespace Switchboard.Security;

/// <summary>
/// Readies the key ring before anything uses it, under the store's start-up lock so replicas starting together do it
/// one after the other: imports <c>&lt;DataDirectory&gt;/web-keys</c> (<see cref="LegacyKeyRingImport"/>); checks
/// that this replica can decrypt what is stored (<see cref="KeyRingHealth"/>); and, if it can, makes sure a usable
/// default key exists, encrypted as configured. The first replica on an empty database creates the one key, and
/// the others find it, rather than each making its own and signing out whoever lands on another replica.
/// Registered before data protection's own hosted service, which loads the ring (and would create a key) at start.
/// </summary>
internal sealed partial class KeyRingStartup(
    StartupLock startupLock, LegacyKeyRingImport import, KeyRingHealth health, IKeyManager keyManager,
    IOptions<KeyManagementOptions> keyManagement, KeyRingCertificate certificate, KeyRingSecrets secrets,
    IHostEnvironment environment, ILogger<KeyRingStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (await startupLock.AcquireAsync(cancellationToken))
        {
            await import.RunAsync(cancellationToken);
            if (health.Check() is { } problem)
            {
                // Not fatal: the replica answers /readyz 503 with this reason, and adds no key of its own.
                Log.CannotRead(logger, problem);
                return;
            }
            EnsureDefaultKey();
        }
        if (secrets.Current is null && certificate.Value is null && environment.IsProduction())
        {
            Log.Unencrypted(logger);
        }
    }

    private void EnsureDefaultKey()
    {
        // The system clock, not the injected TimeProvider: data protection dates keys by the system clock and compares
        // them with it, so a key dated by a test's fake clock would be one data protection never uses.
        var now = DateTimeOffset.UtcNow;
        var elements = keyManagement.Value.XmlRepository!.GetAllElements()
            .Where(e => e.Name == "key")
            .ToDictionary(e => (string?)e.Attribute("id") ?? "", StringComparer.OrdinalIgnoreCase);
        var live = keyManager.GetAllKeys()
            .Where(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now)
            .Select(k => elements.GetValueOrDefault(k.KeyId.ToString()))
            .OfType<XElement>()
            .ToList();
        if (live.Any(k => KeyRingEncryption.EncryptedAsConfigured(k, secrets, certificate.Value)))
        {
            return;
        }
        // No key yet (an empty store), or none encrypted as now configured: one that is, default at once.
        var key = keyManager.CreateNewKey(now, now + keyManagement.Value.NewKeyLifetime);
        Log.Created(logger, key.KeyId, secrets.Current is { } secret ? $"encryption key {secret.Id}"
            : certificate.Value is { } value ? $"certificate {value.Thumbprint}" : "no encryption");
        var plain = live.Count(k => !KeyRingEncryption.IsEncrypted(k));
        if (plain > 0 && (secrets.Current is not null || certificate.Value is not null))
        {
            Log.PlainKeysRemain(logger, plain);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The data-protection key ring is stored unencrypted: anyone who can read the database can forge web sessions and read every account's provider keys. Set Switchboard:DataProtection:EncryptionKey or CertificatePath (see docs/security.md).")]
        public static partial void Unencrypted(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Created data-protection key {KeyId} ({Encryption}); new sessions and provider keys use it from now on.")]
        public static partial void Created(ILogger logger, Guid keyId, string encryption);

        [LoggerMessage(3, LogLevel.Warning, "{Count} live data-protection key(s) written before encryption was configured stay unencrypted until they expire; what they protected (older sessions, provider keys saved before) can be read with them. Re-enter provider keys to move them to the encrypted key (docs/security.md).")]
        public static partial void PlainKeysRemain(ILogger logger, int count);

        [LoggerMessage(4, LogLevel.Error, "Key ring: {Problem} This replica reports unready (/readyz) until it can.")]
        public static partial void CannotRead(ILogger logger, string problem);
    }
}
