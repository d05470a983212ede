using Switchboard.Accounts;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Completions;
using Switchboard.Embeddings;
using Switchboard.Generations;
using Switchboard.Infrastructure;
using Switchboard.Keys;
using Switchboard.Lifecycle;
using Switchboard.Messages;
using Switchboard.Requests;
using Switchboard.Responses;

namespace Switchboard.Api;

/// <summary><c>GET /health</c>: <c>ok</c>, or <c>draining</c> (with 503) once the process is stopping.</summary>
internal sealed record HealthStatus(string Status);

/// <summary>The public API, served under <c>/api/v1</c> (OpenRouter's base) and <c>/v1</c> (so <c>base_url=…/v1</c> works).</summary>
internal static class SwitchboardApi
{
    public static readonly string[] Prefixes = ["/api/v1", "/v1"];

    public static WebApplication MapSwitchboardApi(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
        var chat = app.Services.GetRequiredService<ChatCompletionsHandler>();
        var embeddings = app.Services.GetRequiredService<EmbeddingsHandler>();
        foreach (var prefix in Prefixes)
        {
            var api = app.MapGroup(prefix);
            api.MapPost("/chat/completions", chat.HandleAsync).RequireKey(KeyRequirement.Inference);
            api.MapMessagesApi(chat.For(IngressDialect.Messages));
            api.MapCompletionsApi(chat.For(IngressDialect.Completions));
            api.MapResponsesApi(chat.For(IngressDialect.Responses));
            api.MapEmbeddingsApi(embeddings);
            api.MapCatalogApi();
            api.MapKeysApi();
            api.MapCreditsApi();
            api.MapGenerationsApi();
            api.MapAdminApi();
        }
        // Readiness: unready from the stop signal on, so a load balancer sends new requests elsewhere.
        app.MapGet("/health", (GenerationDrain drain) => drain.Draining
            ? Results.Json(new HealthStatus("draining"), SwitchboardJsonContext.Api.HealthStatus, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new HealthStatus("ok"), SwitchboardJsonContext.Api.HealthStatus));
        return app;
    }
}
