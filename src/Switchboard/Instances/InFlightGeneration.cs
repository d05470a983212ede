namespace Switchboard.Instances;

/// <summary>
/// A generation that has run for a while on some instance, written so that a crash leaves a trace: when its
/// instance is found dead, the reclaimer turns the marker into an interrupted generation record. A generation that
/// settles deletes its marker in the same transaction that writes its record. Short generations never get one.
/// </summary>
internal sealed class InFlightGeneration
{
    public required string Id { get; set; }
    public required string Instance { get; set; }
    public long AccountId { get; set; }
    public long ApiKeyId { get; set; }
    public required string RequestedModel { get; set; }

    /// <summary>The API the request came in through (<see cref="Generations.GenerationApi"/>), for its interrupted record.</summary>
    public string Api { get; set; } = Generations.GenerationApi.ChatCompletions;
    public bool Streamed { get; set; }
    public DateTime StartedAt { get; set; }
}
