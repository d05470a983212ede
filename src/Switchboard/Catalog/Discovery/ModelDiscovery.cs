using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Catalog.Discovery;

/// <summary>
/// Asks every enabled provider marked for discovery for its models, at start-up and every
/// <see cref="DiscoveryOptions.Interval"/>, and swaps in a catalog that serves what they list (<see cref="DiscoveredCatalog"/>).
/// A provider that fails keeps the models it last listed; a model is gone once a successful answer no longer lists it.
/// Logs only changes: a provider starting or ending a run of failures, a list that differs from the last one.
/// </summary>
internal sealed partial class ModelDiscovery : BackgroundService
{
    private readonly ModelCatalog _catalog;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelDiscovery> _logger;
    private readonly ProviderRuntime[] _targets;
    private readonly DiscoveredCatalog _discovered;
    private readonly SemaphoreSlim _polling = new(1, 1);
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, IReadOnlyList<DiscoveredModel>> _lists = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    public ModelDiscovery(ModelCatalog catalog, ProviderRegistry providers, IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<ModelDiscovery> logger)
    {
        _catalog = catalog;
        _options = options.Value.Discovery;
        _time = time;
        _logger = logger;
        _discovered = new DiscoveredCatalog(catalog.Built);
        // The registry holds enabled providers only: a disabled local server is never asked.
        _targets = [.. providers.All.Where(p => p.Info.Discovery && p.IsConfigured).OrderBy(p => p.Info.Slug, StringComparer.Ordinal)];
    }

    /// <summary>Starts polling and waits up to <see cref="DiscoveryOptions.StartupWait"/> for the first round.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        if (_targets.Length == 0 || _options.StartupWait <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await _firstPoll.Task.WaitAsync(_options.StartupWait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.StartingWithoutDiscovery(_logger, _options.StartupWait);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_targets.Length == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                try
                {
                    await PollAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug here must not end discovery for the life of the process.
                    Log.PollFailed(_logger, ex);
                }
                finally
                {
                    _firstPoll.TrySetResult();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: every discovering provider asked at once, the catalog swapped if any list changed.</summary>
    /// <remarks>Also how tests poll deterministically; rounds never overlap.</remarks>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            var results = await Task.WhenAll(_targets.Select(p => ModelListClient.FetchAsync(p, _options.Timeout, _time, cancellationToken)));
            var changed = false;
            for (var i = 0; i < _targets.Length; i++)
            {
                changed |= Apply(_targets[i].Info, results[i]);
            }
            if (changed)
            {
                var next = _discovered.Build(_lists, out var skipped);
                _catalog.Swap(next);
                Log.CatalogSwapped(_logger, next.Models.Length - _catalog.Built.Models.Length, next.Models.Length, skipped);
            }
        }
        finally
        {
            _polling.Release();
        }
    }

    private bool Apply(ProviderInfo provider, ModelListResult result)
    {
        var previous = _lists.GetValueOrDefault(provider.Slug);
        if (result.Models is not { } models)
        {
            if (_failing.Add(provider.Slug))
            {
                Log.ProviderFailing(_logger, provider.Name, result.Problem!, previous?.Count ?? 0);
            }
            return false;
        }
        if (_failing.Remove(provider.Slug))
        {
            Log.ProviderRecovered(_logger, provider.Name);
        }
        if (previous is not null && previous.SequenceEqual(models))
        {
            return false;
        }
        _lists[provider.Slug] = models;
        Log.ProviderListed(_logger, provider.Name, models.Count, result.Skipped);
        return true;
    }

    public override void Dispose()
    {
        _polling.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Discovery: {Provider} lists {Count} models ({Skipped} entries of its answer not taken: malformed, duplicate or beyond the limit).")]
        public static partial void ProviderListed(ILogger logger, string provider, int count, int skipped);

        [LoggerMessage(2, LogLevel.Warning, "Discovery: {Provider} did not answer GET /models ({Problem}); the {Count} models it last listed stay served until it does.")]
        public static partial void ProviderFailing(ILogger logger, string provider, string problem, int count);

        [LoggerMessage(3, LogLevel.Information, "Discovery: {Provider} answers GET /models again.")]
        public static partial void ProviderRecovered(ILogger logger, string provider);

        [LoggerMessage(4, LogLevel.Information, "Discovery: the catalog now serves {Discovered} discovered models, {Models} in all ({Skipped} listed names not served: already served, no usable id, or taken).")]
        public static partial void CatalogSwapped(ILogger logger, int discovered, int models, int skipped);

        [LoggerMessage(5, LogLevel.Information, "Discovery: no answer within {Wait}; starting with the catalog alone, discovered models follow when their providers answer.")]
        public static partial void StartingWithoutDiscovery(ILogger logger, TimeSpan wait);

        [LoggerMessage(6, LogLevel.Error, "Discovery: a poll failed unexpectedly; the next one runs as scheduled.")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
