namespace Switchboard.Simulator.Scripting;

/// <summary>A tool call with its generated id and the fragments its arguments are streamed in.</summary>
internal sealed class PlannedToolCall
{
    // Small fragments make the gateway reassemble arguments across many deltas, like real providers do.
    private const int FragmentLength = 5;

    public PlannedToolCall(string id, string name, string arguments)
    {
        Id = id;
        Name = name;
        Arguments = arguments;
        ArgumentFragments = TextFragments.Split(arguments, FragmentLength);
    }

    public string Id { get; }

    public string Name { get; }

    public string Arguments { get; }

    public IReadOnlyList<string> ArgumentFragments { get; }
}
