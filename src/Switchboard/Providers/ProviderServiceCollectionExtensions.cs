using Switchboard.Demo;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;

namespace Switchboard.Providers;

internal static class ProviderServiceCollectionExtensions
{
    /// <summary>Protocol adapters and the per-provider runtimes (credentials, HTTP clients, demo wiring).</summary>
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        services.AddSingleton<IProviderAdapter, OpenAICompatibleAdapter>();
        services.AddSingleton<IProviderAdapter, AnthropicAdapter>();
        services.AddSingleton<IProviderAdapter, GeminiAdapter>();
        services.AddSingleton<DemoUpstream>();
        services.AddSingleton<ProviderRegistry>();
        return services;
    }
}
