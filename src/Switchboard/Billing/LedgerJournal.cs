using System.Collections.Concurrent;
using System.Threading.Channels;
using Switchboard.Alerts;
using Switchboard.Generations;

namespace Switchboard.Billing;

/// <summary>
/// Writes money movements and generation records behind the requests that produce them. Requests append; one
/// loop takes everything queued and writes it in a single transaction, so under load a commit carries many
/// requests (group commit) and no request waits for the store. Lease requests are answered by the same loop
/// after the entries queued before them, so a budget is always checked against this instance's latest charges.
/// A record can still be found here until it is written; on shutdown the queue is drained before the process exits.
/// Once a batch is in the store, what it charged is handed to the <see cref="SpendAlertMonitor"/>, which checks
/// alert thresholds in the background.
/// </summary>
internal sealed partial class LedgerJournal(CreditLedger ledger, SpendAlertMonitor alerts, BillingOptions options, ILogger<LedgerJournal> logger)
    : BackgroundService
{
    private const int MaxBatch = 2000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<JournalEntry> _queue = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, GenerationRecord> _pendingRecords = new(StringComparer.Ordinal);

    /// <summary>Completed when someone waits on the journal (a lease request, a read), which cuts the linger short.</summary>
    private volatile TaskCompletionSource _waited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Append(GenerationRecord record)
    {
        _pendingRecords[record.Id] = record;
        Append(new RecordEntry(record));
    }

    public void Append(JournalEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            // Only once shutdown has drained the queue: written at once rather than lost.
            WriteAsync([entry], CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public Task<LeaseGrant> RequestLeaseAsync(LeaseRequestEntry request)
    {
        if (!_queue.Writer.TryWrite(request))
        {
            return ledger.GrantLeaseAsync(request);
        }
        _waited.TrySetResult();
        return request.Answer.Task;
    }

    /// <summary>Waits until everything appended so far is in the store.</summary>
    public Task FlushAsync()
    {
        var flush = new FlushEntry();
        if (!_queue.Writer.TryWrite(flush))
        {
            return Task.CompletedTask;
        }
        _waited.TrySetResult();
        return flush.Done.Task;
    }

    /// <summary>A record not yet written to the store.</summary>
    public GenerationRecord? FindPendingRecord(string id) => _pendingRecords.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<JournalEntry>(MaxBatch);
        // The loop ends when the writer is completed (at stop) and the queue is empty: nothing is dropped.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Linger, so the requests of the next few milliseconds share one transaction; unless someone is waiting.
            if (!_waited.Task.IsCompleted && !_queue.Reader.Completion.IsCompleted)
            {
                await Task.WhenAny(_waited.Task, Task.Delay(options.JournalInterval, CancellationToken.None)).ConfigureAwait(false);
            }
            _waited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<JournalEntry> batch, CancellationToken stoppingToken)
    {
        await WriteBookingsAsync(batch, stoppingToken).ConfigureAwait(false);
        foreach (var entry in batch)
        {
            switch (entry)
            {
                case LeaseRequestEntry request:
                    request.Answer.TrySetResult(await ledger.GrantLeaseAsync(request).ConfigureAwait(false));
                    break;
                case FlushEntry flush:
                    flush.Done.TrySetResult();
                    break;
                case RecordEntry { Record: var record }:
                    _pendingRecords.TryRemove(record.Id, out _);
                    break;
            }
        }
    }

    /// <summary>Settlements, records and lease returns, in one transaction, retried until it commits.</summary>
    private async Task WriteBookingsAsync(List<JournalEntry> batch, CancellationToken stoppingToken)
    {
        var bookings = new LedgerBookings(batch);
        if (bookings.IsEmpty)
        {
            return;
        }
        while (true)
        {
            try
            {
                await ledger.BookAsync(bookings).ConfigureAwait(false);
                Log.Wrote(logger, bookings.Settlements.Count, bookings.Records.Count);
                alerts.Charged(bookings.Settlements);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep the batch and try again: dropping it would lose money already moved in memory.
                Log.WriteFailed(logger, batch.Count, ex);
                if (stoppingToken.IsCancellationRequested && _queue.Reader.Completion.IsCompleted)
                {
                    return;
                }
                await Task.Delay(RetryDelay, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Journaled {Settlements} settlement(s) and {Records} generation record(s).")]
        public static partial void Wrote(ILogger logger, int settlements, int records);

        [LoggerMessage(2, LogLevel.Error, "Could not write {Count} journal entries; retrying.")]
        public static partial void WriteFailed(ILogger logger, int count, Exception exception);
    }
}

/// <summary>The part of a journal batch that is written in one transaction.</summary>
internal sealed class LedgerBookings
{
    public LedgerBookings(IEnumerable<JournalEntry> batch)
    {
        foreach (var entry in batch)
        {
            switch (entry)
            {
                case SettlementEntry settlement:
                    Settlements.Add(settlement);
                    break;
                case RecordEntry { Record: var record }:
                    Records.Add(record);
                    break;
                case LeaseReturnEntry lease:
                    Returns.Add(lease);
                    break;
                case ContentEntry { Content: var content }:
                    Contents.Add(content);
                    break;
            }
        }
    }

    public List<SettlementEntry> Settlements { get; } = [];
    public List<GenerationRecord> Records { get; } = [];
    public List<LeaseReturnEntry> Returns { get; } = [];
    public List<GenerationContent> Contents { get; } = [];
    public bool IsEmpty => Settlements.Count == 0 && Records.Count == 0 && Returns.Count == 0 && Contents.Count == 0;
}
