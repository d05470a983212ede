namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Tests that start gateway processes and measure how long things take (a drain, a reclaim within its bound). They
/// run after the rest of the suite, one at a time, so thirty other tests competing for two cores do not stretch the
/// intervals they check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Processes";
}
