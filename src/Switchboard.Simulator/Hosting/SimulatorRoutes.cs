using Switchboard.Simulator.Anthropic;
using Switchboard.Simulator.Embeddings;
using Switchboard.Simulator.Gemini;
using Switchboard.Simulator.OpenAI;
using Switchboard.Simulator.Recording;

namespace Switchboard.Simulator.Hosting;

/// <summary>The simulator's URL space. Providers are told apart by the first path segment.</summary>
internal static class SimulatorRoutes
{
    public const string DefaultProvider = "default";

    public static void Map(WebApplication app, SimulatorState state)
    {
        app.MapGet("/healthz", static http =>
        {
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync("ok", http.RequestAborted);
        });

        RequestLogEndpoints.Map(app, state.Log);

        // Typed as RequestDelegate so routing uses them as-is instead of generating parameter binding.
        RequestDelegate chat = new OpenAIChatEndpoint(state).HandleAsync;
        app.MapPost("/v1/chat/completions", chat);
        app.MapPost("/{provider}/v1/chat/completions", chat);

        RequestDelegate embeddings = new OpenAIEmbeddingsEndpoint(state).HandleAsync;
        app.MapPost("/v1/embeddings", embeddings);
        app.MapPost("/{provider}/v1/embeddings", embeddings);

        RequestDelegate messages = new AnthropicMessagesEndpoint(state).HandleAsync;
        app.MapPost("/v1/messages", messages);
        app.MapPost("/{provider}/v1/messages", messages);

        RequestDelegate countTokens = new AnthropicCountTokensEndpoint(state).HandleAsync;
        app.MapPost("/v1/messages/count_tokens", countTokens);
        app.MapPost("/{provider}/v1/messages/count_tokens", countTokens);

        // Literal versions rather than a {version} parameter, so these never shadow the OpenAI routes.
        RequestDelegate gemini = new GeminiEndpoint(state).HandleAsync;
        foreach (var version in (string[])["v1beta", "v1"])
        {
            app.MapPost($"/{version}/models/{{*target}}", gemini);
            app.MapPost($"/{{provider}}/{version}/models/{{*target}}", gemini);
        }

        RequestDelegate models = new OpenAIModelsEndpoint(state).HandleAsync;
        app.MapGet("/v1/models", models);
        app.MapGet("/{provider}/v1/models", models);

        // Out of process (benchmarks, manual runs): PUT a provider's models answer verbatim (?status= to fail), DELETE to reset.
        var lists = state.ModelLists;
        app.MapPut("/_simulator/models/{provider}", async (HttpContext http, string provider, int? status) =>
        {
            var body = await RequestBodyReader.ReadAllAsync(http.Request, http.RequestAborted);
            lists.SetRaw(provider, status ?? StatusCodes.Status200OK, body);
            return Results.NoContent();
        });
        app.MapDelete("/_simulator/models/{provider}", (string provider) =>
        {
            lists.Reset(provider);
            return Results.NoContent();
        });

        app.MapFallback((RequestDelegate)OpenAIErrorWriter.WriteUnknownUrlAsync);
    }

    public static string ProviderOf(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("provider", out var value) && value is string { Length: > 0 } provider
            ? provider
            : DefaultProvider;
}
