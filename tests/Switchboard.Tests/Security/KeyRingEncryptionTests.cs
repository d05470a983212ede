using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

/// <summary>
/// The data-protection key ring, stored in the database, is encrypted at rest with the configured certificate or
/// encryption key (AES-256-GCM): no stored row holds a key in the clear, a restart still decrypts it, a bad setting
/// stops the start naming it, a wrong key makes the replica unready naming the setting, and a rotated key stays
/// readable through <c>DecryptionKeys</c>.
/// </summary>
public sealed class KeyRingEncryptionTests : IDisposable
{
    private const string Password = "a test certificate password";
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-keyring-").FullName;

    [Fact]
    public async Task With_a_certificate_the_keys_are_written_encrypted_and_sessions_survive_a_restart()
    {
        var certificate = WriteCertificate("ring.pfx", Password);
        var settings = Settings(new()
        {
            ["Switchboard:DataProtection:CertificatePath"] = certificate,
            ["Switchboard:DataProtection:CertificatePassword"] = Password,
        });
        string cookie;
        await using (var gateway = await GatewayFactory.StartAsync(settings))
        {
            cookie = await SignInAsync(gateway);
        }

        var keys = await StoredKeysAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        });
        Assert.False(Directory.Exists(Path.Combine(Data, "web-keys")), "nothing is written to the data directory any more");

        await using var restarted = await GatewayFactory.StartAsync(settings);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(restarted, cookie));
        Assert.Equal("ok", (await ReadinessAsync(restarted))["checks"]!["key_ring"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_an_encryption_key_the_keys_are_sealed_with_aes_gcm_and_sessions_survive_a_restart()
    {
        var settings = Settings(new() { ["Switchboard:DataProtection:EncryptionKey"] = NewKey() });
        string cookie;
        await using (var gateway = await GatewayFactory.StartAsync(settings))
        {
            cookie = await SignInAsync(gateway);
        }

        var keys = await StoredKeysAsync();
        Assert.Single(keys);
        Assert.Contains("urn:switchboard:keyring:aes-gcm", keys[0], StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", keys[0], StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", keys[0], StringComparison.Ordinal);

        await using var restarted = await GatewayFactory.StartAsync(settings);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(restarted, cookie));
        Assert.Single(await StoredKeysAsync()); // the restart found the key and made no other
    }

    [Fact]
    public async Task A_wrong_encryption_key_makes_the_replica_unready_naming_the_setting_and_adds_no_key()
    {
        await using (var gateway = await GatewayFactory.StartAsync(Settings(new() { ["Switchboard:DataProtection:EncryptionKey"] = NewKey() })))
        {
            await SignInAsync(gateway);
        }

        await using var wrong = await GatewayFactory.StartAsync(Settings(new() { ["Switchboard:DataProtection:EncryptionKey"] = NewKey() }));
        using var client = wrong.CreateClient();
        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var keyRing = (await ready.JsonAsync())["checks"]!["key_ring"]!.GetValue<string>();
        Assert.Contains("1 of 1 stored data-protection key(s) cannot be decrypted", keyRing, StringComparison.Ordinal);
        Assert.Contains("Switchboard:DataProtection:EncryptionKey", keyRing, StringComparison.Ordinal);
        Assert.Contains("DecryptionKeys", keyRing, StringComparison.Ordinal);
        Assert.Single(await StoredKeysAsync()); // it did not add a key the others could not read
    }

    [Fact]
    public async Task Rotating_the_encryption_key_keeps_the_old_one_for_decryption_and_seals_a_new_key_with_the_new_one()
    {
        var old = NewKey();
        string cookie;
        await using (var gateway = await GatewayFactory.StartAsync(Settings(new() { ["Switchboard:DataProtection:EncryptionKey"] = old })))
        {
            cookie = await SignInAsync(gateway);
        }

        var rotated = Settings(new()
        {
            ["Switchboard:DataProtection:EncryptionKey"] = NewKey(),
            ["Switchboard:DataProtection:DecryptionKeys:0"] = old,
        });
        await using var restarted = await GatewayFactory.StartAsync(rotated);

        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(restarted, cookie)); // the old key still reads what it protected
        Assert.Equal("ready", (await ReadinessAsync(restarted))["status"]!.GetValue<string>());
        var keys = await StoredKeysAsync();
        Assert.Equal(2, keys.Count); // and new data is protected under a key sealed with the new secret
        Assert.NotEqual(KeyIdOf(keys[0]), KeyIdOf(keys[1]));
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(restarted, await SignInAsync(restarted)));
    }

    [Theory]
    [InlineData("Switchboard:DataProtection:EncryptionKey", "c2hvcnQ=", "it decodes to 5")]
    [InlineData("Switchboard:DataProtection:EncryptionKey", "not base64!", "must be base64")]
    [InlineData("Switchboard:DataProtection:DecryptionKeys:0", "AAAA", "it decodes to 3")]
    public async Task A_malformed_encryption_key_stops_the_start_naming_the_setting(string setting, string value, string why)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => GatewayFactory.StartAsync(Settings(new() { [setting] = value })));

        Assert.Contains($"{setting} must be", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains(why, refused.ToString(), StringComparison.Ordinal);
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
        Assert.Contains("Switchboard:DataProtection:EncryptionKey or Switchboard:DataProtection:CertificatePath is required", required.ToString(), StringComparison.Ordinal);
    }

    private string Data => Path.Combine(_directory, "data");

    private Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["Switchboard:Database:DataDirectory"] = Data;
        return settings;
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string? KeyIdOf(string xml) =>
        System.Text.RegularExpressions.Regex.Match(xml, "keyId=\"([0-9a-f]{16})\"") is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The key ring's rows as stored, oldest first.</summary>
    private async Task<List<string>> StoredKeysAsync()
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(Data, "switchboard.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """SELECT "Xml" FROM data_protection_keys WHERE "Name" LIKE 'key-%' ORDER BY "Id" """;
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }

    internal static async Task<string> SignInAsync(GatewayFactory gateway)
    {
        using var client = gateway.CreateAnonymousClient();
        using var signIn = await client.PostAsJsonAsync("/web/session", new { key = GatewayFactory.ManagementKey });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        return signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sb_session=", StringComparison.Ordinal)).Split(';')[0];
    }

    internal static async Task<HttpStatusCode> SessionStatusAsync(GatewayFactory gateway, string cookie)
    {
        using var client = gateway.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/session");
        request.Headers.Add("Cookie", cookie);
        using var session = await client.SendAsync(request);
        return session.StatusCode;
    }

    private static async Task<JsonObject> ReadinessAsync(GatewayFactory gateway)
    {
        using var client = gateway.CreateClient();
        using var ready = await client.GetAsync("/readyz");
        return await ready.JsonAsync();
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
        SqliteConnection.ClearAllPools();
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
