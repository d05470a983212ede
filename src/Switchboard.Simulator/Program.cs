using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator;

/// <summary>Standalone entry point, used by the load benchmark and for manual runs.</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var commandLine = SimulatorCommandLine.Parse(args);
        using var state = new SimulatorState(commandLine.Options);
        await using var app = SimulatorHost.Build(
            new SimulatorHostSettings(commandLine.Urls, Standalone: true, commandLine.ConfigurationArgs), state);

        await app.StartAsync();

        // Logging is at Warning, so announce readiness directly: scripts wait for this line.
        var recording = commandLine.Options.RecordRequests ? "on" : "off";
        Console.WriteLine($"Switchboard simulator listening on {string.Join(", ", app.Urls)} (recording {recording})");

        await app.WaitForShutdownAsync();
    }
}
