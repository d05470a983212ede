using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Switchboard.Bench.Hosting;
using Switchboard.Bench.Reporting;
using Switchboard.Bench.Scaling;
using Switchboard.Bench.Scenarios;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Catalog;

/// <summary>
/// (k) The catalog at scale: how long the gateway takes to start, and to answer its catalog listings, with the shipped
/// catalog and with synthetic ones of thousands of models. Each catalog gets its own gateway and data directory. The
/// starts take turns catalog by catalog, as do the listing rounds, so noise from elsewhere falls on every catalog alike.
/// </summary>
internal sealed class CatalogScenario(BenchOptions options, BenchEnvironment environment, ResultsFile results)
{
    private const string Title = "(k) catalog";
    private const string StartUp = "start-up";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var plan = options.CatalogPlan ?? throw new InvalidOperationException("The catalog phase is off.");
        results.Line($"== {Title}: {plan.Describe()}; start-up is process start to GET /health answering 200");
        var catalogs = WriteCatalogs(plan);
        var figures = new RoundFigures(Title, catalogs.Select(catalog => catalog.Name));
        var gateways = new CatalogGateway?[catalogs.Count];
        var clients = new List<HttpClient>();
        try
        {
            // The first start of each creates and migrates its database; it is reported apart, as an install's first run.
            for (var start = -1; start < plan.Starts; start++)
            {
                foreach (var i in RoundOrder.Rotate([.. Enumerable.Range(0, catalogs.Count)], start + 1))
                {
                    gateways[i]?.Dispose();
                    var catalog = catalogs[i];
                    var gateway = gateways[i] = await CatalogGateway.StartAsync(
                        $"switchboard {catalog.Name}", options.GatewayDll, catalog.Path, catalog.DataDirectory,
                        Path.Combine(catalog.Directory, $"switchboard-{start + 1}.log"), cancellationToken);
                    var milliseconds = gateway.StartTime.TotalMilliseconds;
                    figures.Add(catalog.Name, start < 0 ? "first start (new database)" : StartUp, milliseconds, FigureUnit.Milliseconds);
                    results.Raw(string.Create(CultureInfo.InvariantCulture, $"   {catalog.Name,-16} start {start + 1}: {milliseconds:0.0} ms"));
                }
            }

            var listings = new List<Listing>[catalogs.Count];
            for (var i = 0; i < catalogs.Count; i++)
            {
                var http = new HttpClient { BaseAddress = gateways[i]!.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
                clients.Add(http);
                listings[i] = await ListingsAsync(http, gateways[i]!.Host.Id, cancellationToken);
                results.Line(string.Create(CultureInfo.InvariantCulture,
                    $"   {catalogs[i].Name,-16} {catalogs[i].Description}; start-up median {Median(figures, catalogs[i].Name):0} ms"));
                await WarmUpAsync(listings[i], cancellationToken);
            }

            for (var round = 0; round < plan.Rounds; round++)
            {
                foreach (var i in RoundOrder.Rotate([.. Enumerable.Range(0, catalogs.Count)], round))
                {
                    foreach (var listing in listings[i])
                    {
                        await MeasureTurnAsync(plan, catalogs[i].Name, listing, round, figures, cancellationToken);
                    }

                    environment.Simulator.EnsureRunning();
                }
            }

            for (var i = 0; i < catalogs.Count; i++)
            {
                figures.Add(catalogs[i].Name, "RSS after", ProcessMemory.TreeResidentBytes(gateways[i]!.Host.Id), FigureUnit.Bytes);
            }

            var rows = figures.Medians();
            Report(catalogs, rows);
            return rows;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var gateway in gateways)
            {
                gateway?.Dispose();
            }
        }
    }

    private List<CatalogUnderTest> WriteCatalogs(CatalogPlan plan)
    {
        var root = Path.Combine(environment.WorkDirectory, "catalog");
        var direct = environment.Targets.Single(target => target.Name == Target.Direct);
        var simulator = new Uri(direct.ChatCompletionsUrl.GetLeftPart(UriPartial.Authority) + "/");
        var catalogs = new List<CatalogUnderTest>();
        if (plan.Shipped)
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, "shipped")).FullName;
            catalogs.Add(new CatalogUnderTest("shipped", null, directory, "the catalog the gateway ships with"));
        }

        foreach (var models in plan.ModelCounts)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{models:#,0} models");
            var directory = Directory.CreateDirectory(Path.Combine(root, models.ToString(CultureInfo.InvariantCulture))).FullName;
            var catalog = ScalingCatalog.Write(directory, (long)models * ScalingCatalog.EndpointsPerModel, simulator, toolsOnHalf: true);
            catalogs.Add(new CatalogUnderTest(name, catalog.Path, directory,
                $"{catalog.Description}, half of them with tools; {new FileInfo(catalog.Path).Length / 1e6:0.0} MB of JSON"));
        }

        return catalogs;
    }

    /// <summary>The whole list, the list filtered by a parameter, and the endpoints of the first model listed.</summary>
    private static async Task<List<Listing>> ListingsAsync(HttpClient http, int gatewayPid, CancellationToken cancellationToken)
    {
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/models", cancellationToken));
        var first = list.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
        return
        [
            new Listing("/models", "/api/v1/models", http, gatewayPid),
            new Listing("/models?tools", "/api/v1/models?supported_parameters=tools", http, gatewayPid),
            new Listing("/endpoints", $"/api/v1/models/{first}/endpoints", http, gatewayPid),
        ];
    }

    /// <summary>Each listing for its share of <c>--warmup</c>, and at least a few times, so the gateway has tiered up.</summary>
    private async Task WarmUpAsync(List<Listing> listings, CancellationToken cancellationToken)
    {
        var share = options.Warmup / (listings.Count * 3.0);
        foreach (var listing in listings)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < 5 || Stopwatch.GetElapsedTime(started) < share; i++)
            {
                await listing.GetAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Sequential requests over one keep-alive connection, to the end of the body, up to the turn limit; and the
    /// gateway's CPU time over the turn per request, which other load on the machine disturbs far less than latency.
    /// </summary>
    private async Task MeasureTurnAsync(CatalogPlan plan, string catalog, Listing listing, int round, RoundFigures figures, CancellationToken cancellationToken)
    {
        var samples = new List<double>(plan.RequestsPerTurn);
        var bytes = 0L;
        var turn = Stopwatch.GetTimestamp();
        var cpuBefore = ProcessCpuClock.Time(listing.GatewayPid);
        for (var i = 0; i < plan.RequestsPerTurn && (i < 5 || Stopwatch.GetElapsedTime(turn) < options.TurnLimit); i++)
        {
            var started = Stopwatch.GetTimestamp();
            bytes = await listing.GetAsync(cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpu = (ProcessCpuClock.Time(listing.GatewayPid) - cpuBefore).TotalMicroseconds / samples.Count;
        var (p50, p99) = (Percentiles.Of(samples, 50), Percentiles.Of(samples, 99));
        figures.Add(catalog, $"{listing.Name} p50", p50, FigureUnit.Milliseconds);
        figures.Add(catalog, $"{listing.Name} p99", p99, FigureUnit.Milliseconds);
        figures.Add(catalog, $"{listing.Name} CPU/request", cpu, FigureUnit.CpuMicroseconds);
        figures.Add(catalog, $"{listing.Name} size", bytes, FigureUnit.Bytes);
        results.Raw(string.Create(CultureInfo.InvariantCulture,
            $"   round {round + 1} {catalog,-16} {listing.Name,-14} {samples.Count,5} requests  p50 {p50,8:0.00} ms  p99 {p99,8:0.00} ms  CPU {cpu,9:#,0} µs/request  {bytes,10:#,0} B"));
    }

    private static double Median(RoundFigures figures, string catalog) =>
        figures.Medians().Single(row => row.Target == catalog && row.Figure == StartUp).Value;

    /// <summary>Per catalog, the medians and their ratio to the first (smallest) catalog's: how the cost grows with it.</summary>
    private void Report(List<CatalogUnderTest> catalogs, IReadOnlyList<ResultRow> rows)
    {
        var baseline = catalogs[0].Name;
        foreach (var figure in rows.Select(row => row.Figure).Distinct())
        {
            var reference = rows.Single(row => row.Target == baseline && row.Figure == figure).Value;
            var line = string.Join("  ", catalogs.Select(catalog =>
            {
                var row = rows.Single(row => row.Target == catalog.Name && row.Figure == figure);
                var (value, shown) = (row.Value, ResultTable.Format(row.Value, row.Unit));
                return catalog.Name == baseline || reference == 0
                    ? $"{catalog.Name} {shown}"
                    : string.Create(CultureInfo.InvariantCulture, $"{catalog.Name} {shown} ({value / reference:0.0}x)");
            }));
            results.Line($"   {figure,-28} {line}");
        }
    }

    private sealed record CatalogUnderTest(string Name, string? Path, string Directory, string Description)
    {
        public string DataDirectory => System.IO.Path.Combine(Directory, "data");
    }

    private sealed class Listing(string name, string pathAndQuery, HttpClient http, int gatewayPid)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public string Name => name;

        public int GatewayPid => gatewayPid;

        /// <summary>The whole body, read to its end; returns its length.</summary>
        public async Task<long> GetAsync(CancellationToken cancellationToken)
        {
            using var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailureException($"GET {pathAndQuery} answered {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            long length = 0;
            int read;
            while ((read = await body.ReadAsync(_buffer, cancellationToken)) > 0)
            {
                length += read;
            }

            return length;
        }
    }
}
