namespace Switchboard.Simulator.Hosting;

/// <summary>
/// Dialect-neutral request lifecycle: read and record the body, run the dialect's responder,
/// and translate how it ended (done, client gone, host stopping) into the recorded outcome.
/// </summary>
internal static class ExchangeRunner
{
    public static async Task RunAsync(
        HttpContext http, SimulatorState state, string provider, Func<SimulatedExchange, byte[], Task> respond)
    {
        byte[] body;
        try
        {
            body = await RequestBodyReader.ReadAllAsync(http.Request, http.RequestAborted);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var record = state.Record(http.Request, provider, body);
        using var exchange = new SimulatedExchange(http, provider, record, state.Stopping) { DefaultReplySentences = state.Options.DefaultReplySentences };
        try
        {
            await respond(exchange, body);
            record?.Complete(clientAborted: false);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // Writes to a vanished client fail in several ways (cancellation, IOException, reset); all mean the same.
            record?.Complete(clientAborted: !exchange.ServerAborted);
        }
        catch (OperationCanceledException) when (state.Stopping.IsCancellationRequested)
        {
            // Shutting down mid-hang or mid-pause: drop the connection so host disposal is not held up.
            record?.Complete(clientAborted: false);
            http.Abort();
        }
        catch
        {
            record?.Complete(clientAborted: false);
            throw;
        }
    }
}
