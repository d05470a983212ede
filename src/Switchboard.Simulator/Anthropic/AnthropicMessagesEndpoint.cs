using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary><c>POST [/{provider}]/v1/messages</c>: Anthropic's Messages API.</summary>
internal sealed class AnthropicMessagesEndpoint
{
    private static readonly byte[] MalformedBody = """{"id":"msg_broken"""u8.ToArray();

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public AnthropicMessagesEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = RespondAsync;
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);

    private static async Task RespondAsync(SimulatedExchange exchange, byte[] body)
    {
        if (await AnthropicIngress.ReadAsync(exchange, body, counting: false) is not { } request)
        {
            return;
        }

        var plan = ResponsePlanner.Create(request.Script, request.Generation, exchange.DefaultReplySentences);
        if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                AnthropicErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
        {
            return;
        }

        var header = AnthropicResponseHeader.Create(request.Model);
        if (request.Stream)
        {
            await AnthropicStreamWriter.WriteAsync(exchange, plan, header);
        }
        else
        {
            await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, (plan, header), static (exchange, state) =>
                AnthropicMessageWriter.WriteAsync(exchange, state.plan, state.header));
        }
    }
}
