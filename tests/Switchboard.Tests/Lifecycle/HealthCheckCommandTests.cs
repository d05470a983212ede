using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Switchboard.Lifecycle;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Lifecycle;

/// <summary>
/// <c>Switchboard healthcheck [url]</c>, the container image's HEALTHCHECK (the image has no curl): run as its own
/// process, as Docker runs it, against a real gateway and against a port where nothing listens.
/// </summary>
public sealed class HealthCheckCommandTests
{
    [Fact]
    public async Task Healthcheck_exits_0_when_the_gateway_answers_and_1_when_nothing_listens()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        var port = GatewayPort(gateway);

        var alive = await RunAsync(["healthcheck", $"http://127.0.0.1:{port}/healthz"]);
        var nobody = await RunAsync(["healthcheck", $"http://127.0.0.1:{GatewayProcess.FreePort()}/healthz"]);

        Assert.True(alive.ExitCode == 0, alive.Output);
        Assert.True(nobody.ExitCode == 1, nobody.Output);
        Assert.Contains("could not be reached", nobody.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_without_a_url_asks_healthz_on_the_port_the_configuration_listens_on()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        var port = GatewayPort(gateway);

        // As the image sets it: every address, so the probe goes over loopback.
        var listening = await RunAsync(["healthcheck"], ("Urls", $"http://0.0.0.0:{port}"));
        var elsewhere = await RunAsync(["healthcheck"], ("Urls", $"http://0.0.0.0:{GatewayProcess.FreePort()}"));

        Assert.True(listening.ExitCode == 0, listening.Output);
        Assert.True(elsewhere.ExitCode == 1, elsewhere.Output);
    }

    [Fact]
    public async Task Healthcheck_exits_1_on_an_error_status_and_2_on_bad_arguments()
    {
        await using var gateway = await GatewayFactory.StartAsync();
        var port = GatewayPort(gateway);

        var notFound = await RunAsync(["healthcheck", $"http://127.0.0.1:{port}/no-such-route"]);
        var notAUrl = await RunAsync(["healthcheck", "localhost:8080"]);
        var twoUrls = await RunAsync(["healthcheck", $"http://127.0.0.1:{port}/healthz", $"http://127.0.0.1:{port}/readyz"]);

        Assert.True(notFound.ExitCode == 1, notFound.Output);
        Assert.Contains("answered 404", notFound.Output, StringComparison.Ordinal);
        Assert.Equal(2, notAUrl.ExitCode);
        Assert.Equal(2, twoUrls.ExitCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", null, "http://127.0.0.1:8080/healthz")]
    [InlineData("http://+:8080;https://+:8443", null, "http://127.0.0.1:8080/healthz")]
    [InlineData("https://*:8443;http://[::]:9000", null, "http://127.0.0.1:9000/healthz")]
    [InlineData("http://10.0.0.5:8088", null, "http://10.0.0.5:8088/healthz")]
    [InlineData(null, "8081;8082", "http://127.0.0.1:8081/healthz")]
    [InlineData(null, null, "http://127.0.0.1:5000/healthz")]
    [InlineData("https://0.0.0.0:8443", null, null)]
    public void The_default_url_is_healthz_on_the_first_http_address_over_loopback(string? urls, string? httpPorts, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("urls", urls), new("http_ports", httpPorts)]).Build();

        Assert.Equal(expected, HealthCheckCommand.DefaultUrl(configuration)?.ToString());
    }

    private static int GatewayPort(GatewayFactory gateway)
    {
        using var client = gateway.CreateClient();
        return client.BaseAddress!.Port;
    }

    private sealed record Outcome(int ExitCode, string Output);

    /// <summary>The gateway's executable as Docker runs it, with a minute to finish (the command itself gives up after 2 s).</summary>
    private static async Task<Outcome> RunAsync(string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Switchboard.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("Urls");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await stdout + await stderr);
    }
}
