namespace Switchboard.Chat;

internal static class ChatServiceCollectionExtensions
{
    public static IServiceCollection AddChatCompletions(this IServiceCollection services)
    {
        services.AddSingleton<ChatCompletionsHandler>();
        return services;
    }
}
