using Switchboard.Simulator.Scripting;

namespace Switchboard.Simulator.Anthropic;

/// <summary>The parts of a Messages request the simulator acts on.</summary>
internal sealed record AnthropicRequest(string Model, bool Stream, GenerationRequest Generation, SimulatorScript? Script);
