using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Health;
using Switchboard.Simulator;

namespace Switchboard.Tests.Infrastructure;

/// <summary>A real gateway on Kestrel (loopback, random port), pointed at the shared simulator.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private GatewayFactory(Dictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(0);
    }

    public static async Task<GatewayFactory> StartAsync(IDictionary<string, string?>? overrides = null, bool useTestCatalog = true)
    {
        var simulator = await SharedSimulator.GetAsync();
        var settings = DefaultSettings(simulator, useTestCatalog);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var factory = new GatewayFactory(settings);
        factory.StartServer();
        return factory;
    }

    public static Dictionary<string, string?> DefaultSettings(SimulatorServer simulator, bool useTestCatalog)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Switchboard:Streaming:KeepAliveInterval"] = "00:00:00.200",
            ["Switchboard:Health:FailureThreshold"] = "3",
            ["Switchboard:Health:CoolDown"] = "00:10:00",
            ["Switchboard:Timeouts:StreamingHeaders"] = "00:00:02",
            ["Switchboard:Timeouts:NonStreamingResponse"] = "00:00:03",
            ["Switchboard:Timeouts:StreamIdle"] = "00:00:02",
        };
        if (useTestCatalog)
        {
            settings["Switchboard:CatalogPath"] = TestCatalog.FilePath;
            foreach (var slug in TestCatalog.SimulatedProviders)
            {
                settings[$"Switchboard:Providers:{slug}:BaseUrl"] = simulator.ProviderBaseUrl(slug).ToString();
                settings[$"Switchboard:Providers:{slug}:ApiKey"] = $"key-{slug}";
            }
            settings["Switchboard:Providers:dead:ApiKey"] = "key-dead";
        }
        return settings;
    }

    public HttpClient CreateGatewayClient()
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    public void ResetHealth() => Services.GetRequiredService<EndpointHealthRegistry>().Reset();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
