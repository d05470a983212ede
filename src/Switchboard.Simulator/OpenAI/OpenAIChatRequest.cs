using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.OpenAI;

/// <summary>The parts of a Chat Completions request the simulator acts on.</summary>
internal sealed record OpenAIChatRequest(
    string Model,
    bool Stream,
    bool IncludeUsage,
    GenerationRequest Generation,
    SimulatorScript? Script);

/// <summary>A 400 to send back, in OpenAI's terms.</summary>
internal sealed record OpenAIRequestError(string Message, string? Param);
