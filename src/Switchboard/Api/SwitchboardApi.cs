using Switchboard.Auth;
using Switchboard.Catalog;
using Switchboard.Chat;

namespace Switchboard.Api;

/// <summary>The public API, served under <c>/api/v1</c> (OpenRouter's base) and <c>/v1</c> (so <c>base_url=…/v1</c> works).</summary>
internal static class SwitchboardApi
{
    public static readonly string[] Prefixes = ["/api/v1", "/v1"];

    public static WebApplication MapSwitchboardApi(this WebApplication app)
    {
        app.UseMiddleware<InferenceKeyMiddleware>();
        var chat = app.Services.GetRequiredService<ChatCompletionsHandler>();
        foreach (var prefix in Prefixes)
        {
            var api = app.MapGroup(prefix);
            api.MapPost("/chat/completions", chat.HandleAsync).WithMetadata(new RequireInferenceKeyAttribute());
            api.MapCatalogApi();
        }
        app.MapGet("/health", () => TypedResults.Ok());
        return app;
    }
}
