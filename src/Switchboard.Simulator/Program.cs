using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator;

/// <summary>Standalone entry point, used by the load benchmark and for manual runs.</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var commandLine = SimulatorCommandLine.Parse(args);
        using var state = new SimulatorState(commandLine.Options);
        var built = SimulatorHost.Build(
            new SimulatorHostSettings(commandLine.Urls, Standalone: true, commandLine.ConfigurationArgs, commandLine.Http2Urls), state);
        await using var app = built.App;

        await app.StartAsync();

        // Logging is at Warning, so announce readiness directly: scripts wait for this line.
        var recording = commandLine.Options.RecordRequests ? "on" : "off";
        var http2 = built.Http2.Count == 0 ? "" : $", HTTP/2 (h2c) on {string.Join(", ", built.Http2.Select(SimulatorApp.BaseAddress))}";
        Console.WriteLine($"Switchboard simulator listening on {string.Join(", ", built.Http1.Select(SimulatorApp.BaseAddress))}{http2} (recording {recording})");

        await app.WaitForShutdownAsync();
    }
}
