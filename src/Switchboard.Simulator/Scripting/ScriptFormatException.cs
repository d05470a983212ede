namespace Switchboard.Simulator.Scripting;

/// <summary>A malformed simulator script; reported to the caller as a 400 so typos in tests fail loudly.</summary>
internal sealed class ScriptFormatException(string message) : Exception(message);
