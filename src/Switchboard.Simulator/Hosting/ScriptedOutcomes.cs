using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Hosting;

/// <summary>
/// The parts of a plan that mean the same in every dialect — latency, hang, an error status, whole-body faults —
/// so that a scenario behaves identically whichever protocol carries it; only the bodies differ.
/// </summary>
internal static class ScriptedOutcomes
{
    /// <returns>true when the exchange is finished (hung, or answered with the scripted error).</returns>
    public static async Task<bool> TryAnswerEarlyAsync(
        SimulatedExchange exchange, ResponsePlan plan, Func<SimulatedExchange, ErrorReply, Task> writeError)
    {
        await exchange.DelayAsync(plan.LatencyMs);
        if (plan.Hang)
        {
            await exchange.HangAsync();
            return true;
        }

        if (plan.Error is { } error)
        {
            await writeError(exchange, error);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A non-streamed body has no events to count, so a scripted reset, hang or malformed event applies to the
    /// whole body; otherwise <paramref name="writeBody"/> writes the real one.
    /// </summary>
    public static async Task WriteWholeBodyAsync<TState>(
        SimulatedExchange exchange,
        ResponsePlan plan,
        byte[] malformedBody,
        TState state,
        Func<SimulatedExchange, TState, Task> writeBody)
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
                    exchange.Http.Response, StatusCodes.Status200OK, ResponseBodies.JsonContentType, malformedBody, exchange.Aborted);
                break;
            default:
                await writeBody(exchange, state);
                break;
        }
    }
}
