using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Switchboard.Tests.Clients;

/// <summary>One check's outcome as its script printed it: <c>{"check","ok","detail"}</c>.</summary>
public sealed record CheckResult(string Check, bool Ok, string Detail);

/// <summary>
/// One run of a client's check script (<c>tests/clients/checks/{client}.mjs</c>) under <c>node</c>, against one
/// gateway, model and provider: every check of the client in one process, parsed from its JSON lines. A run that
/// outlives its timeout is killed with its whole process tree (Claude Code runs as a child of the script).
/// </summary>
public sealed class ClientRun
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ClientRun>>> Runs = new();

    private ClientRun(string command, IReadOnlyList<string>? declared, IReadOnlyDictionary<string, CheckResult> results, int? exitCode, bool timedOut, string stdout, string stderr, TimeSpan elapsed)
    {
        Command = command;
        Declared = declared;
        Results = results;
        ExitCode = exitCode;
        TimedOut = timedOut;
        Stdout = stdout;
        Stderr = stderr;
        Elapsed = elapsed;
    }

    public string Command { get; }

    /// <summary>Every check the script has, selected or not, as it printed them first (<c>{"checks":[…]}</c>).</summary>
    public IReadOnlyList<string>? Declared { get; }

    public IReadOnlyDictionary<string, CheckResult> Results { get; }

    public int? ExitCode { get; }

    public bool TimedOut { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>
    /// The run for these arguments, started by the first test case that asks and shared by the others, so a client's
    /// checks cost one node process per model and provider, not one per check. Only <paramref name="checks"/> run
    /// (<c>SWITCHBOARD_CHECKS</c>): a check whose endpoint the gateway lacks is not run at all.
    /// </summary>
    public static Task<ClientRun> GetAsync(Uri gateway, string key, string client, string model, string embeddingModel, string provider, IReadOnlyList<string> checks, TimeSpan timeout) =>
        Runs.GetOrAdd(
            $"{gateway} {client} {model} {embeddingModel} {provider} {string.Join(',', checks)}",
            _ => new Lazy<Task<ClientRun>>(() => RunAsync(gateway, key, client, model, embeddingModel, provider, checks, timeout))).Value;

    /// <summary>What a failing test case shows: how the run ended and what the script wrote.</summary>
    public string Describe()
    {
        var ending = TimedOut ? $"killed after the {Elapsed.TotalSeconds:0} s timeout" : $"exited with {ExitCode} after {Elapsed.TotalSeconds:0.0} s";
        return $"`{Command}` {ending}.\nstdout:\n{Tail(Stdout)}\nstderr:\n{Tail(Stderr)}";
    }

    private static async Task<ClientRun> RunAsync(Uri gateway, string key, string client, string model, string embeddingModel, string provider, IReadOnlyList<string> checks, TimeSpan timeout)
    {
        var script = Path.Combine(ClientPackages.Directory, "checks", $"{client}.mjs");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientPackages.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        // The machine's own client settings must not steer the clients: they get the gateway and nothing else.
        foreach (var name in start.Environment.Keys.Where(IsClientSetting).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["SWITCHBOARD_BASE_URL"] = gateway.ToString().TrimEnd('/');
        start.Environment["SWITCHBOARD_KEY"] = key;
        start.Environment["SWITCHBOARD_MODEL"] = model;
        start.Environment["SWITCHBOARD_EMBEDDING_MODEL"] = embeddingModel;
        start.Environment["SWITCHBOARD_PROVIDER"] = provider;
        start.Environment["SWITCHBOARD_CHECKS"] = string.Join(',', checks);

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var cancellation = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        // The parameterless wait also drains the redirected streams.
        await process.WaitForExitAsync();
        string output;
        lock (stdout)
        {
            output = stdout.ToString();
        }
        string errors;
        lock (stderr)
        {
            errors = stderr.ToString();
        }
        var command = $"node tests/clients/checks/{client}.mjs (model {model}, provider {provider})";
        var (declared, results) = Parse(output);
        return new ClientRun(command, declared, results, timedOut ? null : process.ExitCode, timedOut, output, errors, stopwatch.Elapsed);
    }

    private static bool IsClientSetting(string name) =>
        name.StartsWith("OPENAI_", StringComparison.Ordinal) || name.StartsWith("ANTHROPIC_", StringComparison.Ordinal)
        || name.StartsWith("CLAUDE_", StringComparison.Ordinal) || name.StartsWith("CODEX_", StringComparison.Ordinal)
        || name.StartsWith("SWITCHBOARD_", StringComparison.Ordinal);

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    /// <summary>
    /// The script's list of checks and every line that is a check result; other output stays in <see cref="Stdout"/>
    /// for the failure message.
    /// </summary>
    private static (List<string>? Declared, Dictionary<string, CheckResult> Results) Parse(string output)
    {
        List<string>? declared = null;
        var results = new Dictionary<string, CheckResult>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.TryGetProperty("checks", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    declared = list.EnumerateArray().Select(c => c.GetString()!).ToList();
                }
                else if (root.TryGetProperty("check", out var check) && root.TryGetProperty("ok", out var ok))
                {
                    var name = check.GetString()!;
                    var detail = root.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
                    // A check that also crashed later (an unhandled rejection blamed on it) counts as failed.
                    var failedBefore = results.TryGetValue(name, out var earlier) && !earlier.Ok;
                    results[name] = failedBefore ? earlier! with { Detail = $"{earlier!.Detail}\n{detail}" } : new CheckResult(name, ok.GetBoolean(), detail);
                }
            }
            catch (JsonException)
            {
                // Not a result line.
            }
        }
        return (declared, results);
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
