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

    /// <summary>The request body as the client sent it: the messages, and the model and parameters they were sent with.</summary>
    public required string Prompt { get; set; }

    /// <summary>The generated text: content of the first choice, as delivered.</summary>
    public required string Completion { get; set; }
}
