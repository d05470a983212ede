using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Configuration;

/// <summary>
/// A gateway started from any working directory (a service unit, a container, a script) runs with the
/// <c>appsettings.json</c> shipped beside <c>Switchboard.dll</c>, not with framework defaults.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("switchboard-cwd-").FullName;

    [Fact]
    public async Task Gateway_started_from_another_directory_uses_the_appsettings_beside_it()
    {
        var port = GatewayProcess.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        // What appsettings.json says, and where data goes, are left to the gateway.
        settings.Remove("Logging:LogLevel:Default");
        settings.Remove("Switchboard:Database:DataDirectory");

        using var gateway = await GatewayProcess.StartAsync(port, http, settings, workingDirectory: _workingDirectory);
        for (var i = 0; i < 3; i++)
        {
            using var models = await http.GetAsync("/api/v1/models");
            models.EnsureSuccessStatusCode();
        }

        // appsettings.json turns ASP.NET Core's per-request logging off; the framework default logs every request.
        Assert.DoesNotContain("Request starting", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("Now listening on", gateway.Output, StringComparison.Ordinal);
        // The relative default data directory still follows the working directory.
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "switchboard.db")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Only a leftover temp directory.
        }
    }
}
