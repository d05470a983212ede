using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

/// <summary>The data-protection key ring is encrypted at rest with the configured certificate.</summary>
public sealed class KeyRingEncryptionTests : IDisposable
{
    private const string Password = "a test certificate password";
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-keyring-").FullName;

    [Fact]
    public async Task With_a_certificate_the_keys_are_written_encrypted_and_sessions_survive_a_restart()
    {
        var certificate = WriteCertificate("ring.pfx", Password);
        var data = Path.Combine(_directory, "data");
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:Database:DataDirectory"] = data,
            ["Switchboard:DataProtection:CertificatePath"] = certificate,
            ["Switchboard:DataProtection:CertificatePassword"] = Password,
        };
        string cookie;
        await using (var gateway = await GatewayFactory.StartAsync(settings))
        {
            using var client = gateway.CreateAnonymousClient();
            using var signIn = await client.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sb_session=", StringComparison.Ordinal)).Split(';')[0];
        }

        var keys = Directory.GetFiles(Path.Combine(data, "web-keys"), "*.xml");
        Assert.NotEmpty(keys);
        Assert.All(keys, file =>
        {
            var xml = File.ReadAllText(file);
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        });

        await using var restarted = await GatewayFactory.StartAsync(settings);
        using var again = restarted.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/session");
        request.Headers.Add("Cookie", cookie);
        using var session = await again.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_or_a_missing_certificate_stops_the_start_naming_the_setting()
    {
        var certificate = WriteCertificate("ring.pfx", Password);

        var wrongPassword = await Assert.ThrowsAnyAsync<Exception>(() => GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:DataProtection:CertificatePath"] = certificate,
            ["Switchboard:DataProtection:CertificatePassword"] = "not the password",
        }));
        var required = await Assert.ThrowsAnyAsync<Exception>(() => GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:DataProtection:RequireEncryption"] = "true",
        }));

        Assert.Contains("Switchboard:DataProtection:CertificatePath", wrongPassword.ToString(), StringComparison.Ordinal);
        Assert.Contains("Switchboard:DataProtection:CertificatePath is required", required.ToString(), StringComparison.Ordinal);
    }

    private string WriteCertificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Switchboard key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Only a leftover temp directory.
        }
    }
}
