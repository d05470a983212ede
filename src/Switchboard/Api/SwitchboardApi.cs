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
            api.MapPost("/chat/completions", chat.HandleAsync).RequireKey(KeyRequirement.Inference).ServesGenerations(IngressDialect.ChatCompletions);
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
        // Liveness: the process serves HTTP. Kubernetes restarts a pod whose liveness fails, so it checks nothing else.
        app.MapGet("/healthz", () => Results.Json(new HealthStatus("ok"), SwitchboardJsonContext.Api.HealthStatus));
        // Readiness: the database, its migrations, the journal's backlog and the drain (ReadinessProbe).
        app.MapGet("/readyz", async (ReadinessProbe probe, HttpContext context) =>
        {
            var report = await probe.CheckAsync(context.RequestAborted);
            return Results.Json(report, SwitchboardJsonContext.Api.ReadinessReport,
                statusCode: report.Status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        // The original readiness, kept for existing balancers: unready from the stop signal on.
        app.MapGet("/health", (GenerationDrain drain) => drain.Draining
            ? Results.Json(new HealthStatus("draining"), SwitchboardJsonContext.Api.HealthStatus, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new HealthStatus("ok"), SwitchboardJsonContext.Api.HealthStatus));
        return app;
    }
}
