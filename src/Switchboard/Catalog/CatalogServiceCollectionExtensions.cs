using Microsoft.Extensions.Options;
using Switchboard.Catalog.Discovery;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Catalog;

internal static partial class CatalogServiceCollectionExtensions
{
    /// <summary>The catalog snapshot: the shipped (or configured) file merged with operator settings, checked at start-up.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
            var protocols = provider.GetServices<IProviderAdapter>().Select(a => a.Protocol).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var errors = new List<string>();
            var file = CatalogFileReader.Read(options.CatalogPath ?? CatalogFileReader.DefaultPath, errors);
            var builder = new CatalogBuilder(protocols);
            var catalog = builder.Build(file, options);
            errors.AddRange(builder.Errors);
            return errors.Count == 0
                ? catalog
                : throw new OptionsValidationException(SwitchboardOptions.Section, typeof(SwitchboardOptions), errors);
        });
        services.AddHostedService<CatalogStartupCheck>();
        // After the start-up check, so a bad catalog stops start-up before any provider is asked for its models.
        services.AddSingleton<ModelDiscovery>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelDiscovery>());
        return services;
    }

    /// <summary>Builds the catalog and provider clients before the server accepts requests, so bad settings stop start-up.</summary>
    private sealed partial class CatalogStartupCheck(ModelCatalog catalog, ProviderRegistry providers, ILogger<CatalogStartupCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var configured = providers.All.Count(p => p.IsConfigured);
            Log.CatalogLoaded(logger, catalog.Models.Length, catalog.Endpoints.Length, catalog.Providers.Length, configured, catalog.Updated);
            foreach (var provider in providers.All.Where(p => !p.IsConfigured))
            {
                Log.ProviderNotConfigured(logger, provider.Info.Name, provider.MissingSetting!);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private static partial class Log
        {
            [LoggerMessage(1, LogLevel.Information, "Catalog ({Updated}): {Models} models, {Endpoints} endpoints, {Providers} providers, {Configured} with credentials.")]
            public static partial void CatalogLoaded(ILogger logger, int models, int endpoints, int providers, int configured, string updated);

            [LoggerMessage(2, LogLevel.Debug, "Provider {Provider} has no credential; set {Setting} to use it.")]
            public static partial void ProviderNotConfigured(ILogger logger, string provider, string setting);
        }
    }
}
