namespace Switchboard.Simulator.OpenAI;

/// <summary>Identity fields repeated on the completion and on every stream chunk.</summary>
internal sealed record OpenAIResponseHeader(string Id, long Created, string Model)
{
    public const string SystemFingerprint = "fp_simulator";
}
