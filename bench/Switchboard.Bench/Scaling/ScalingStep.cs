using System.Diagnostics;
using System.Globalization;
using Switchboard.Bench.Reporting;

namespace Switchboard.Bench.Scaling;

/// <summary>
/// One point of a curve: a directory with its own database (a copy of the freshly migrated template, seeded to the
/// step's size), its own catalog file and, once started, its own gateway. Disposing stops the gateway and deletes
/// the database, which can be gigabytes; the gateway's log stays with the run's other logs.
/// </summary>
internal sealed class ScalingStep : IDisposable
{
    /// <summary>Keys per seeded account.</summary>
    private const int KeysPerAccount = 10;

    private readonly string _directory;
    private readonly ScalingCatalog _catalog;
    private ScalingGateway? _gateway;

    private ScalingStep(string name, string directory, ScalingCatalog catalog, SeededKeys keys)
    {
        Name = name;
        _directory = directory;
        _catalog = catalog;
        Requests = new ScalingRequests([.. keys.Hot(ScalingPlan.HotKeys).Select(SeededKeys.Secret)], catalog.Models);
    }

    public string Name { get; }

    public ScalingRequests Requests { get; }

    public ScalingGateway Gateway => _gateway ?? throw new InvalidOperationException($"{Name}: the gateway has not been started");

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Copies the template database and seeds it to <paramref name="size"/> along the dimension's axis.</summary>
    public static ScalingStep Prepare(
        ScalingDimension dimension, long size, string directory, string templateDatabase, Uri simulator, ResultsFile results)
    {
        var name = dimension.StepName(size);
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        var database = Path.Combine(directory, "data", Path.GetFileName(templateDatabase));
        File.Copy(templateDatabase, database);

        var catalog = ScalingCatalog.Write(directory, dimension.Axis == ScalingAxis.CatalogEndpoints ? size : ScalingPlan.BaseEndpoints, simulator);
        var keys = new SeededKeys(dimension.Axis == ScalingAxis.ApiKeys ? checked((int)size) : ScalingPlan.BaseKeys, KeysPerAccount);
        var started = Stopwatch.GetTimestamp();
        try
        {
            Seed(database, keys, dimension.Axis == ScalingAxis.GenerationRecords ? size : 0, catalog, name);
        }
        catch
        {
            // Nothing will dispose a step that was never made, and a half-seeded database can be gigabytes.
            Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
            throw;
        }

        results.Line(string.Create(CultureInfo.InvariantCulture,
            $"   {name,-20} seeded in {Stopwatch.GetElapsedTime(started).TotalSeconds,6:0.0} s, database {new FileInfo(database).Length / 1e6,9:#,0.0} MB: " +
            $"{keys.Count:#,0} keys of {keys.AccountCount:#,0} accounts, catalog of {catalog.Description}"));
        return new ScalingStep(name, directory, catalog, keys);
    }

    private static void Seed(string database, SeededKeys keys, long records, ScalingCatalog catalog, string name)
    {
        var started = Stopwatch.GetTimestamp();
        var reportedAt = started;
        using var seeder = GatewayDatabaseSeeder.Open(database);
        var ids = seeder.SeedKeys(keys);
        if (records > 0)
        {
            seeder.SeedGenerations(records, keys, ids, catalog, done =>
            {
                // Console only: a ten-million-row seed takes minutes, and silence looks like a hang.
                if (Stopwatch.GetElapsedTime(reportedAt) > TimeSpan.FromSeconds(15))
                {
                    reportedAt = Stopwatch.GetTimestamp();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"      {name}: {done:#,0} records after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s"));
                }
            });
        }
    }

    public async Task StartAsync(string gatewayDll, CancellationToken cancellationToken) =>
        _gateway = await ScalingGateway.StartAsync(
            $"switchboard {Name}", gatewayDll, _catalog.Path, DataDirectory, Path.Combine(_directory, "switchboard.log"), cancellationToken);

    public void Dispose()
    {
        _gateway?.Dispose();
        _gateway = null;
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
