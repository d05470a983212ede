using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;

namespace Switchboard.Security;

/// <summary>
/// Encrypts the data-protection key ring at rest with the configured certificate (<see cref="KeyRingOptions"/>):
/// new keys are written encrypted (<see cref="CertificateKeyRingEncryptor"/>), and the certificate decrypts them
/// again (<see cref="CertificateKeyRingDecryptor"/>). Only the encryptor and decryptor are
/// set here, never the repository, so the ring can move (a directory today, the database later) without touching this.
/// </summary>
internal static class KeyRingEncryption
{
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services)
    {
        services.AddSingleton<KeyRingCertificate>();
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingCertificate>((keys, certificate) =>
        {
            if (certificate.Value is { } value)
            {
                keys.XmlEncryptor = new CertificateKeyRingEncryptor(value);
            }
        });
        services.AddHostedService<KeyRingCheck>();
        return services;
    }
}

/// <summary>The configured certificate, loaded once (validated at start-up by <see cref="KeyRingOptions.Problems"/>); null when the ring is not encrypted.</summary>
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

/// <summary>
/// At start: says loudly, in Production, that the ring is unencrypted; and once a certificate is configured, makes
/// sure new data is protected under an encrypted key, since keys written before stay as they were until they expire.
/// </summary>
internal sealed partial class KeyRingCheck(
    KeyRingCertificate certificate, IOptions<KeyManagementOptions> keyManagement, IKeyManager keyManager, IHostEnvironment environment,
    TimeProvider time, ILogger<KeyRingCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (certificate.Value is not { } value)
        {
            if (environment.IsProduction())
            {
                Log.Unencrypted(logger);
            }
            return Task.CompletedTask;
        }
        if (keyManagement.Value.XmlRepository is not { } repository)
        {
            return Task.CompletedTask;
        }
        var now = time.GetUtcNow();
        var live = repository.GetAllElements().Where(e => e.Name == "key" && Expiration(e) > now).ToList();
        var plain = live.Count(e => !IsEncrypted(e));
        if (!live.Any(IsEncrypted))
        {
            // Until now every key was written in the clear: start an encrypted one, which becomes the default at once.
            keyManager.CreateNewKey(now, now + keyManagement.Value.NewKeyLifetime);
            Log.NewEncryptedKey(logger, value.Thumbprint);
        }
        if (plain > 0)
        {
            Log.PlainKeysRemain(logger, plain);
        }
        return Task.CompletedTask;
    }

    /// <summary>An encrypted key holds <c>encryptedSecret</c> (in the data-protection namespace) where a plain one holds its secret.</summary>
    private static bool IsEncrypted(XElement key) => key.Descendants().Any(e => e.Name.LocalName == "encryptedSecret");

    private static DateTimeOffset Expiration(XElement key) =>
        DateTimeOffset.TryParse(key.Element("expirationDate")?.Value, System.Globalization.CultureInfo.InvariantCulture, out var expires) ? expires : DateTimeOffset.MaxValue;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The data-protection key ring is stored unencrypted: anyone who can read it can forge web sessions and read every account's provider keys. Set Switchboard:DataProtection:CertificatePath (see docs/security.md).")]
        public static partial void Unencrypted(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Created a data-protection key encrypted with certificate {Thumbprint}; new sessions and provider keys use it from now on.")]
        public static partial void NewEncryptedKey(ILogger logger, string thumbprint);

        [LoggerMessage(3, LogLevel.Warning, "{Count} data-protection key(s) written before encryption was configured stay unencrypted until they expire; what they protected (older sessions, provider keys saved before) can be read with them. Re-enter provider keys to move them to the encrypted key (docs/security.md).")]
        public static partial void PlainKeysRemain(ILogger logger, int count);
    }
}
