using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Targets;
using Switchboard.Data;

namespace Switchboard.Bench.Journal;

/// <summary>
/// (f) The journal alone, on SQLite and (when a server is given) PostgreSQL. Sustained commits per second: producers
/// append settled generations as fast as the journal admits them, for one key and one model (the saturation
/// scenario's shape) and spread over 1,000 keys and 200 models (the mix's); and the latency of one commit, what a
/// completed response waits before its last bytes when the gateway is otherwise idle. The targets compare the
/// commits per second with the gateway's saturation rate measured in the same run on the same store: the saturation
/// scenario's gateway for SQLite, and here a second gateway on PostgreSQL under the same wrk load.
/// </summary>
internal sealed class JournalScenario(BenchOptions options, BenchEnvironment environment, Scenarios.WrkRunner wrk, ResultsFile results)
{
    public const string Name = "(f) journal";
    public const string OneKey = "commits/s, 1 key x 1 model";
    public const string Spread = "commits/s, 1,000 keys x 200 models";
    public const string CommitP50 = "commit wait p50";
    public const string CommitP99 = "commit wait p99";
    public const string GatewaySaturation = "gateway requests/s, wrk saturation";
    private const int Producers = 64;
    private const int LatencySamples = 2_000;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        results.Line($"== {Name}: {options.JournalDuration.TotalSeconds:0.#} s of {Producers} producers per shape; {LatencySamples} single commits");
        var rows = new List<ResultRow>();
        var directory = Directory.CreateTempSubdirectory("switchboard-journal-").FullName;
        try
        {
            rows.AddRange(await MeasureAsync("sqlite", new DatabaseOptions { DataDirectory = directory }, cancellationToken));
            if (options.JournalPostgres is { } postgres)
            {
                rows.AddRange(await MeasureAsync("postgres", new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgres }, cancellationToken));
                rows.Add(new ResultRow(Name, "postgres", GatewaySaturation, await PostgresGatewaySaturationAsync(postgres, cancellationToken), FigureUnit.PerSecond));
            }
            else
            {
                results.Line("   postgres: not measured (bench/run.sh starts a throwaway server when PostgreSQL is installed)");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return rows;
    }

    private async Task<IReadOnlyList<ResultRow>> MeasureAsync(string store, DatabaseOptions database, CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        await using (var harness = await JournalHarness.StartAsync(database, keys: 1_000, cancellationToken))
        {
            var (p50, p99) = await CommitLatencyAsync(harness, cancellationToken);
            rows.Add(new ResultRow(Name, store, CommitP50, p50, FigureUnit.Microseconds));
            rows.Add(new ResultRow(Name, store, CommitP99, p99, FigureUnit.Microseconds));
            var one = await ThroughputAsync(harness, keys: 1, models: 1, cancellationToken);
            rows.Add(new ResultRow(Name, store, OneKey, one, FigureUnit.PerSecond));
            var spread = await ThroughputAsync(harness, keys: 1_000, models: 200, cancellationToken);
            rows.Add(new ResultRow(Name, store, Spread, spread, FigureUnit.PerSecond));
            results.Line(string.Create(CultureInfo.InvariantCulture,
                $"   {store,-9} one commit p50 {p50,6:0} us  p99 {p99,6:0} us   sustained {one,8:#,0}/s (1 key)  {spread,8:#,0}/s (1,000 keys x 200 models)"));
        }
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // A fresh schema per run: drop what this one created.
            await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var drop = new Npgsql.NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        return rows;
    }

    /// <summary>
    /// The gateway on PostgreSQL (a database of its own on the same server), saturated as the saturation scenario
    /// saturates the SQLite one: after a warm-up, the median of <see cref="BenchOptions.Rounds"/> wrk runs.
    /// </summary>
    private async Task<double> PostgresGatewaySaturationAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = $"switchboard_bench_{Guid.NewGuid():n}";
        await ExecuteAsync(connectionString, $"CREATE DATABASE \"{database}\"", cancellationToken);
        try
        {
            var gatewayDatabase = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
            var target = await environment.StartPostgresGatewayAsync(options, gatewayDatabase, cancellationToken);
            await wrk.RunAsync(target, options.Warmup, cancellationToken);
            var rates = new List<double>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var result = await wrk.RunAsync(target, options.Duration, cancellationToken);
                target.EnsureRunning();
                rates.Add(result.RequestsPerSecond);
                results.Line(string.Create(CultureInfo.InvariantCulture, $"   gateway on postgres, round {round + 1}: {result.RequestsPerSecond,8:0} req/s   p50 {result.P50Ms,6:0.00} ms   p99 {result.P99Ms,6:0.00} ms"));
            }
            target.Proxy!.Dispose();
            return Percentiles.Median(rates);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(connectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One entry at a time, each waited for: the durability a lone completed response pays.</summary>
    private static async Task<(double P50, double P99)> CommitLatencyAsync(JournalHarness harness, CancellationToken cancellationToken)
    {
        var samples = new List<double>(LatencySamples);
        for (var i = 0; i < LatencySamples + 200; i++)
        {
            await harness.Journal.AdmitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var receipt = harness.Journal.Append(harness.Entry(keys: 1, models: 1), delivered: true);
            await harness.Journal.WaitCommittedAsync(receipt.Sequence, TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken);
            if (i >= 200) // the first ones warm the JIT and the connection
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }
        return (Percentiles.Of(samples, 50), Percentiles.Of(samples, 99));
    }

    /// <summary>Producers append as fast as the journal admits them; the rate is what got committed over the time taken.</summary>
    private async Task<double> ThroughputAsync(JournalHarness harness, int keys, int models, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource(options.JournalDuration);
        long appended = 0;
        var started = Stopwatch.GetTimestamp();
        var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await harness.Journal.AdmitAsync(TimeSpan.FromSeconds(1), stop.Token))
            {
                harness.Journal.Append(harness.Entry(keys, models), delivered: true);
                Interlocked.Increment(ref appended);
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(producers);
        await harness.Journal.FlushAsync();
        return appended / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
