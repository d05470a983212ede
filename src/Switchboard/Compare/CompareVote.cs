namespace Switchboard.Compare;

/// <summary>
/// One judgement from a blind comparison: of two models that answered the same prompt, which answer was better.
/// Stored with the pair in ordinal order (<see cref="ModelA"/> sorts first), so every vote on a pair adds up in
/// one row of the tally whichever column each model was shown in.
/// </summary>
internal sealed class CompareVote
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string ModelA { get; set; }
    public required string ModelB { get; set; }

    /// <summary><c>a</c>, <c>b</c> or <c>tie</c>.</summary>
    public required string Winner { get; set; }
    public DateTime CreatedAt { get; set; }
}
