using Switchboard.Requests;

namespace Switchboard.Chat;

internal static class ChatServiceCollectionExtensions
{
    public static IServiceCollection AddChatCompletions(this IServiceCollection services)
    {
        services.AddSingleton<GenerationBilling>();
        services.AddSingleton<ChatCompletionsHandler>();
        services.AddSingleton<Embeddings.EmbeddingsHandler>();
        services.AddSingleton<Messages.ProviderTokenCounter>();
        return services;
    }
}
