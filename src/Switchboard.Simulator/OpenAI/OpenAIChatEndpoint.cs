using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary><c>POST [/{provider}]/v1/chat/completions</c>.</summary>
internal sealed class OpenAIChatEndpoint
{
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

        var plan = ResponsePlanner.Create(request.Script, request.PromptTokens);
        await exchange.DelayAsync(plan.LatencyMs);
        if (plan.Hang)
        {
            await exchange.HangAsync();
            return;
        }

        if (plan.Error is { } error)
        {
            await OpenAIErrorWriter.WriteScriptedAsync(http.Response, error, exchange.Aborted);
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
            await WriteWholeBodyAsync(exchange, plan, header);
        }
    }

    private static async Task WriteWholeBodyAsync(SimulatedExchange exchange, ResponsePlan plan, OpenAIResponseHeader header)
    {
        switch (plan.Faults.ForWholeBody())
        {
            case StreamFault.Reset:
                exchange.Reset();
                break;
            case StreamFault.Hang:
                await exchange.HangAsync();
                break;
            case StreamFault.Malformed:
                await ResponseBodies.WriteRawAsync(
                    exchange.Http.Response, StatusCodes.Status200OK, ResponseBodies.JsonContentType,
                    """{"id":"broken"""u8.ToArray(), exchange.Aborted);
                break;
            default:
                await OpenAICompletionWriter.WriteAsync(exchange, plan, header);
                break;
        }
    }
}
