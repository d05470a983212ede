namespace Switchboard.Generations;

/// <summary>
/// The text of one generation, kept only for accounts that opted in (<see cref="Accounts.Account.StorePrompts"/>):
/// the request's messages as sent, and the completion text the client received.
/// </summary>
internal sealed class GenerationContent
{
    public required string GenerationId { get; set; }
    public long AccountId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The request's <c>messages</c> (or <c>prompt</c>) JSON, as the client sent it.</summary>
    public required string Prompt { get; set; }

    /// <summary>The generated text: content of the first choice, as delivered.</summary>
    public required string Completion { get; set; }
}
