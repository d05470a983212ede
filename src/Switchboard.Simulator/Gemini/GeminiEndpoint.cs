using System.Text.Json;
using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>
/// <c>POST [/{provider}]/{v1|v1beta}/models/{model}:{generateContent|streamGenerateContent}</c>, and the embedding
/// actions, <c>embedContent</c> and <c>batchEmbedContents</c> (<see cref="Embeddings.GeminiEmbedEndpoint"/>). Routed with a
/// catch-all and split here, because route templates cannot express a parameter followed by <c>:action</c> reliably.
/// </summary>
internal sealed class GeminiEndpoint
{
    private static readonly byte[] MalformedBody = """{"candidates":[{"broken"""u8.ToArray();

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public GeminiEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = RespondAsync;
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);

    private static async Task RespondAsync(SimulatedExchange exchange, byte[] body)
    {
        var http = exchange.Http;
        var target = http.Request.RouteValues["target"] as string ?? string.Empty;
        var colon = target.LastIndexOf(':');
        var (model, action) = colon > 0 ? (target[..colon], target[(colon + 1)..]) : (target, string.Empty);
        if (Embeddings.GeminiEmbedEndpoint.Handles(action))
        {
            await Embeddings.GeminiEmbedEndpoint.RespondAsync(exchange, body, model, action);
            return;
        }
        if (action is not ("generateContent" or "streamGenerateContent"))
        {
            await GeminiErrorWriter.WriteNotFoundAsync(
                http.Response, $"models/{model} does not support method '{action}'.", exchange.Aborted);
            return;
        }

        // Without alt=sse the real API streams one JSON array; only the SSE form is simulated, so refuse loudly.
        var stream = action == "streamGenerateContent";
        if (stream && http.Request.Query["alt"] != "sse")
        {
            await GeminiErrorWriter.WriteInvalidArgumentAsync(http.Response, new GeminiRequestError(
                "The simulator only implements streamGenerateContent with ?alt=sse (server-sent events); "
                + "the JSON-array stream returned without alt=sse is not supported."), exchange.Aborted);
            return;
        }

        if (!GeminiRequestParser.TryParse(body, exchange.Provider, out var request, out var invalid))
        {
            await GeminiErrorWriter.WriteInvalidArgumentAsync(http.Response, invalid, exchange.Aborted);
            return;
        }

        var plan = ResponsePlanner.Create(request.Script, request.Generation, exchange.DefaultReplySentences);
        if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                GeminiErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
        {
            return;
        }

        var header = new GeminiResponseHeader(RandomIds.Next(string.Empty), model, request.CandidateCount);
        if (stream)
        {
            await GeminiStreamWriter.WriteAsync(exchange, plan, header);
            return;
        }

        await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, (plan, header), static (exchange, state) =>
            ResponseBodies.WriteJsonAsync(
                exchange.Http.Response,
                StatusCodes.Status200OK,
                state,
                static (json, state) => WriteWholeAnswer(json, state.plan, state.header),
                exchange.Aborted));
    }

    private static void WriteWholeAnswer(Utf8JsonWriter json, ResponsePlan plan, GeminiResponseHeader header)
    {
        var parts = plan.BlockPrompt is null ? GeminiPart.WholeAnswer(plan) : [];
        new GeminiResponseSerializer(plan, header).Write(json, parts, final: true, plan.Usage);
    }
}
