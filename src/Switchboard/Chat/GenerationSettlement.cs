using Switchboard.Billing;
using Switchboard.Instances;
using Switchboard.Keys;
using Switchboard.RateLimiting;
using Switchboard.Requests;

namespace Switchboard.Chat;

/// <summary>
/// Ends one generation exactly once: its hold is settled (<see cref="CreditBook.Settle"/>), and its money, record
/// and text go to the journal together. A completed response calls <see cref="CommitAsync"/> before its last bytes
/// go out, which makes that entry durable (<see cref="ChargeDurability"/>), so no client holds a completion whose
/// charge a crash could lose; every other ending (an error, a refusal, a client gone) calls <see cref="Close"/>.
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

    /// <summary>
    /// Settles as delivered (200) and makes the charge durable: appended to the settlement log, or, where the commit
    /// is the durable step, waited for up to <see cref="BillingOptions.ChargeCommitTimeout"/>.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (End(StatusCodes.Status200OK, error: null, delivered: true) is not { MustWait: true } receipt)
        {
            return;
        }
        if (!await journal.WaitCommittedAsync(receipt.Sequence, options.ChargeCommitTimeout, time, cancellationToken).ConfigureAwait(false)
            && !cancellationToken.IsCancellationRequested)
        {
            Log.NotCommitted(logger, context.GenerationId, options.ChargeCommitTimeout);
        }
    }

    /// <summary>Settles and journals the generation if that was not done yet, without waiting for anything.</summary>
    public void Close(int status, string? error) => End(status, error, delivered: false);

    private JournalReceipt? End(int status, string? error, bool delivered)
    {
        if (_closed)
        {
            return null;
        }
        _closed = true;
        var settlement = Reservation is { } reservation ? book.Settle(reservation, meter.Priced ? meter.Charge : GenerationCharge.None) : null;
        var unmark = Slot is { } slot && inFlight.End(slot);
        var content = meter.Capture is { } completion ? GenerationRecordFactory.Content(context, completion) : null;
        var record = GenerationRecordFactory.Create(context, meter, status, error, time);
        // The key's tokens per minute count what was billed, in the minute the generation ended.
        tokens.Settled(context.Key, (long)record.TokensPrompt + record.TokensCompletion);
        return journal.Append(new GenerationEntry(record, settlement, content, unmark), delivered);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Generation {GenerationId}: the store did not commit its charge within {Timeout}; the response is sent anyway and the charge stays queued.")]
        public static partial void NotCommitted(ILogger logger, string generationId, TimeSpan timeout);
    }
}
