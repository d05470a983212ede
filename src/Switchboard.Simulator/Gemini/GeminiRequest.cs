using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Gemini;

/// <summary>The parts of a GenerateContentRequest the simulator acts on; the model comes from the URL.</summary>
internal sealed record GeminiRequest(GenerationRequest Generation, int CandidateCount, SimulatorScript? Script);

/// <summary>A 400 INVALID_ARGUMENT; <paramref name="Violations"/> become a <c>google.rpc.BadRequest</c> detail.</summary>
internal sealed record GeminiRequestError(string Message, IReadOnlyList<GeminiFieldViolation> Violations)
{
    public GeminiRequestError(string message)
        : this(message, [])
    {
    }
}

internal sealed record GeminiFieldViolation(string Field, string Description);
