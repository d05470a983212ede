using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>
/// <c>GET [/{provider}]/v1/models</c>: the provider's scripted list (<see cref="SimulatedModelLists"/>), an empty list
/// unless a test set one. Enough for health probes and for the gateway's model discovery.
/// </summary>
internal sealed class OpenAIModelsEndpoint
{
    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public OpenAIModelsEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = async (exchange, _) =>
        {
            var list = state.ModelLists.For(exchange.Provider);
            await exchange.DelayAsync((int)list.Delay.TotalMilliseconds);
            await ResponseBodies.WriteRawAsync(exchange.Http.Response, list.Status, ResponseBodies.JsonContentType, list.Body, exchange.Aborted);
        };
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);
}
