using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator.OpenAI;

/// <summary><c>GET [/{provider}]/v1/models</c>: an empty list, enough for health probes and discovery.</summary>
internal sealed class OpenAIModelsEndpoint
{
    private static readonly byte[] EmptyList = """{"object":"list","data":[]}"""u8.ToArray();

    private readonly SimulatorState _state;
    private readonly Func<SimulatedExchange, byte[], Task> _respond;

    public OpenAIModelsEndpoint(SimulatorState state)
    {
        _state = state;
        _respond = static (exchange, _) => ResponseBodies.WriteRawAsync(
            exchange.Http.Response, StatusCodes.Status200OK, ResponseBodies.JsonContentType, EmptyList, exchange.Aborted);
    }

    public Task HandleAsync(HttpContext http) =>
        ExchangeRunner.RunAsync(http, _state, SimulatorRoutes.ProviderOf(http), _respond);
}
