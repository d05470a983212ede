using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary><c>POST [/{provider}]/v1/chat/completions</c>.</summary>
internal sealed class OpenAIChatEndpoint
{
    private static readonly byte[] MalformedBody = """{"id":"broken"""u8.ToArray();

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public OpenAIChatEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = RespondAsync; // cached: one delegate for the lifetime of the server, not one per request
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);

    private async Task RespondAsync(SimulatedExchange exchange, byte[] body)
    {
        var http = exchange.Http;
        if (!OpenAIChatRequestParser.TryParse(body, exchange.Provider, out var request, out var invalid))
        {
            await OpenAIErrorWriter.WriteInvalidRequestAsync(http.Response, invalid, exchange.Aborted);
            return;
        }

        var plan = ResponsePlanner.Create(request.Script, request.Generation, exchange.DefaultReplySentences);
        if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                OpenAIErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
        {
            return;
        }

        var header = new OpenAIResponseHeader(
            $"chatcmpl-sim{_state.NextSequence()}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), request.Model);
        if (request.Stream)
        {
            await OpenAIStreamWriter.WriteAsync(exchange, plan, header, request.IncludeUsage);
        }
        else
        {
            await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, (plan, header), static (exchange, state) =>
                OpenAICompletionWriter.WriteAsync(exchange, state.plan, state.header));
        }
    }
}
