using System.Diagnostics;
using Switchboard.Bench;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;

// Switchboard.Bench: the same requests, interleaved round by round, sent to the simulator directly, through
// nginx, through the gateway and through Portkey. See docs/benchmarks.md; bench/run.sh builds everything and calls this.

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (UsageException e)
{
    if (e.Message.Length > 0)
    {
        Console.Error.WriteLine($"error: {e.Message}");
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message.Length > 0 ? 2 : 0;
}

using var shutdown = new ShutdownSignal();
var workDirectory = Directory.CreateTempSubdirectory("switchboard-bench-").FullName;
using var results = ResultsFile.Create(options.ResultsDirectory);
var succeeded = false;
try
{
    var started = Stopwatch.GetTimestamp();
    results.Line("Switchboard benchmark");
    results.Line(await MachineInfo.DescribeAsync(options));
    results.Line($"arguments: {string.Join(' ', options.Arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a))}");
    results.Line($"settings:  {options.Describe()}");
    results.Line($"results:   {results.Path}");
    results.Line();

    using var environment = await BenchEnvironment.StartAsync(options, workDirectory, shutdown.Token);
    foreach (var target in environment.Targets)
    {
        results.Line($"target {target.Name,-12} POST {target.ChatCompletionsUrl}");
    }

    var nginxConfig = Path.Combine(workDirectory, "nginx", "nginx.conf");
    if (File.Exists(nginxConfig))
    {
        results.Line($"nginx: {options.NginxWorkers} worker process(es), config {nginxConfig}");
    }

    results.Line();

    var runner = new BenchRunner(options, environment, results);
    var rows = await runner.RunAsync(shutdown.Token);

    if (environment.OtlpSink is { } sink)
    {
        // Shows the traced gateway really exported while it was measured, not that its exporter sat idle.
        results.Line($"OTLP sink: {sink.Exports:#,0} exports, {sink.Bytes:#,0} bytes received from {Target.SwitchboardTraced}");
    }

    results.Line($"== Summary (total {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s, load average at end {MachineInfo.LoadAverage()})");
    results.Line("   Every figure is the median of its per-round values above.");
    results.Line(ResultTable.Render(rows));
    if (runner.Checks.All.Count > 0)
    {
        results.Line("== Targets (a miss makes the bench exit non-zero)");
        foreach (var check in runner.Checks.All)
        {
            results.Line($"   {check.Line}");
        }

        results.Line();
    }

    if (runner.ReferenceChecks.All.Count > 0)
    {
        results.Line($"== The same targets for {Target.SwitchboardReference} ({options.ReferenceGatewayDll}), reported only");
        foreach (var check in runner.ReferenceChecks.All)
        {
            results.Line($"   {check.Line}");
        }

        results.Line();
    }

    if (File.Exists(nginxConfig))
    {
        results.Raw("--- generated nginx.conf ---");
        results.Raw(await File.ReadAllTextAsync(nginxConfig));
    }

    Console.WriteLine($"raw results: {results.Path}");
    succeeded = true;
    return runner.Checks.AnyFailed ? 1 : 0;
}
catch (OperationCanceledException) when (shutdown.Requested)
{
    results.Line("cancelled");
    return 130;
}
catch (BenchFailureException e)
{
    results.Line($"FAILED: {e.Message}");
    Console.Error.WriteLine($"logs of the child processes are kept in {workDirectory}");
    return 1;
}
finally
{
    ChildProcesses.KillAll();
    if (succeeded)
    {
        Directory.Delete(workDirectory, recursive: true);
    }
}
