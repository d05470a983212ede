using Switchboard.Simulator.Hosting;
using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>
/// <c>POST [/{provider}]/v1/messages/count_tokens</c>: <c>{"input_tokens": N}</c>, where N is the <c>input_tokens</c>
/// a message for the same body would report, so a gateway's forwarded count can be checked against its generation.
/// </summary>
internal sealed class AnthropicCountTokensEndpoint
{
    private static readonly byte[] MalformedBody = """{"input_tokens":"""u8.ToArray();

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public AnthropicCountTokensEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = RespondAsync;
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);

    private static async Task RespondAsync(SimulatedExchange exchange, byte[] body)
    {
        if (await AnthropicIngress.ReadAsync(exchange, body, counting: true) is not { } request)
        {
            return;
        }

        // The same plan as a message's, so latency, a scripted status, hang, reset and a malformed body apply here
        // too, and a scripted usage.prompt_tokens sets the count.
        var plan = ResponsePlanner.Create(request.Script, request.Generation, exchange.DefaultReplySentences);
        if (await ScriptedOutcomes.TryAnswerEarlyAsync(exchange, plan, static (exchange, error) =>
                AnthropicErrorWriter.WriteScriptedAsync(exchange.Http.Response, error, exchange.Aborted)))
        {
            return;
        }

        var count = plan.Usage is { } usage ? AnthropicJson.InputTokens(usage) : request.Generation.PromptTokens;
        await ScriptedOutcomes.WriteWholeBodyAsync(exchange, plan, MalformedBody, count, static (exchange, count) =>
            ResponseBodies.WriteJsonAsync(
                exchange.Http.Response,
                StatusCodes.Status200OK,
                count,
                static (json, count) =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("input_tokens"u8, count);
                    json.WriteEndObject();
                },
                exchange.Aborted));
    }
}
