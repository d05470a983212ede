namespace Switchboard.Generations;

internal static class GenerationsServiceCollectionExtensions
{
    /// <summary>The batched record writer: one instance, both a service and the background loop that drains it.</summary>
    public static IServiceCollection AddGenerationRecords(this IServiceCollection services)
    {
        services.AddSingleton<GenerationRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationRecorder>());
        return services;
    }
}
