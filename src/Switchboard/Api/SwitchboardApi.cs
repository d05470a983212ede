using Switchboard.Accounts;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Api;

/// <summary>The public API, served under <c>/api/v1</c> (OpenRouter's base) and <c>/v1</c> (so <c>base_url=…/v1</c> works).</summary>
internal static class SwitchboardApi
{
    public static readonly string[] Prefixes = ["/api/v1", "/v1"];

    public static WebApplication MapSwitchboardApi(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
        var chat = app.Services.GetRequiredService<ChatCompletionsHandler>();
        foreach (var prefix in Prefixes)
        {
            var api = app.MapGroup(prefix);
            api.MapPost("/chat/completions", chat.HandleAsync).RequireKey(KeyRequirement.Inference);
            api.MapCatalogApi();
            api.MapKeysApi();
            api.MapCreditsApi();
            api.MapGenerationsApi();
            api.MapAdminApi();
        }
        app.MapGet("/health", () => TypedResults.Ok());
        return app;
    }
}
