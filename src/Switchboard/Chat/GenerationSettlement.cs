using Switchboard.Billing;
using Switchboard.Instances;
using Switchboard.Keys;
using Switchboard.RateLimiting;
using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// Ends one generation exactly once: its hold is settled (<see cref="CreditBook.Settle"/>), and its money, record
/// and text go to the journal together. A completed response calls <see cref="CommitAsync"/> before its last bytes
/// go out and waits for that entry to be committed, so no client holds a completion whose charge a crash could
/// lose; every other ending (an error, a refusal, a client gone) calls <see cref="Close"/> and does not wait.
/// </summary>
internal sealed partial class GenerationSettlement(
    GenerationRecordFactory.Context context,
    GenerationMeter meter,
    CreditBook book,
    LedgerJournal journal,
    InFlightRegistry inFlight,
    KeyTokenLimiter tokens,
    BillingOptions options,
    TimeProvider time,
    ILogger logger) : ICompletionCommit
{
    private bool _closed;

    /// <summary>The credit held for the generation, once reserved.</summary>
    public Reservation? Reservation { get; set; }

    /// <summary>The generation's place among those running, once reserved.</summary>
    public InFlightSlot? Slot { get; set; }

    /// <summary>Settles as delivered (200) and waits, at most <see cref="BillingOptions.ChargeCommitTimeout"/>, for the store to have it.</summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var sequence = Close(StatusCodes.Status200OK, error: null);
        if (!await journal.WaitCommittedAsync(sequence, options.ChargeCommitTimeout, time, cancellationToken).ConfigureAwait(false)
            && !cancellationToken.IsCancellationRequested)
        {
            Log.NotCommitted(logger, context.GenerationId, options.ChargeCommitTimeout);
        }
    }

    /// <summary>Settles and journals the generation if that was not done yet; returns its journal position.</summary>
    public long Close(int status, string? error)
    {
        if (_closed)
        {
            return 0;
        }
        _closed = true;
        var settlement = Reservation is { } reservation ? book.Settle(reservation, meter.Priced ? meter.Charge : GenerationCharge.None) : null;
        var unmark = Slot is { } slot && inFlight.End(slot);
        var content = meter.Capture is { } completion ? GenerationRecordFactory.Content(context, completion) : null;
        var record = GenerationRecordFactory.Create(context, meter, status, error, time);
        // The key's tokens per minute count what was billed, in the minute the generation ended.
        tokens.Settled(context.Key, (long)record.TokensPrompt + record.TokensCompletion);
        return journal.Append(new GenerationEntry(record, settlement, content, unmark));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Generation {GenerationId}: the store did not commit its charge within {Timeout}; the response is sent anyway and the charge stays queued.")]
        public static partial void NotCommitted(ILogger logger, string generationId, TimeSpan timeout);
    }
}
