using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Security;

/// <summary>What a real gateway process writes to its console when it starts in Production.</summary>
[Collection(ProcessCollection.Name)]
public sealed class StartupLogTests
{
    [Fact]
    public async Task A_production_start_logs_no_part_of_the_management_key_and_warns_that_the_key_ring_is_unencrypted()
    {
        var port = GatewayProcess.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings.Remove("Logging:LogLevel:Default"); // appsettings.json's levels: Information
        settings["environment"] = "Production";
        var data = settings["Switchboard:Database:DataDirectory"]!;

        try
        {
            using var gateway = await GatewayProcess.StartAsync(port, http, settings);
            var output = gateway.Output;

            Assert.Contains("Created admin account", output, StringComparison.Ordinal);
            var key = GatewayFactory.ManagementKey;
            var secret = key["sk-sb-v1-".Length..];
            // Any six characters of the secret, wherever they might be printed (the old log printed the key's label).
            for (var i = 0; i + 6 <= secret.Length; i++)
            {
                Assert.DoesNotContain(secret.Substring(i, 6), output, StringComparison.Ordinal);
            }
            Assert.Contains("key ring is stored unencrypted", output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Only a leftover temp directory.
            }
        }
    }
}
