using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Switchboard.Alerts;
using Switchboard.Generations;
using Switchboard.Instances;

namespace Switchboard.Billing;

/// <summary>
/// Writes money and generation records behind the requests that produce them. One loop takes everything queued and
/// writes it in a single transaction (<see cref="JournalWriter"/>), so a commit carries many requests (group commit)
/// and costs each a fraction of one. What a client received must survive a crash of the process
/// (<see cref="ChargeDurability"/>): with the settlement log, a completed entry is appended to it before the
/// response completes, and the loop writes every <see cref="BillingOptions.JournalInterval"/>; with the commit as the
/// durable step, the response waits for its own commit (<see cref="WaitCommittedAsync"/>) and the loop writes
/// whenever it is idle. The backlog is bounded: a generation starts only while fewer than
/// <see cref="BillingOptions.JournalCapacity"/> entries wait to be written (<see cref="AdmitAsync"/>), so a stalled
/// store turns new requests away instead of filling memory. A record can be read from memory
/// until it is written; at shutdown the queue is drained before anything the writer needs is disposed. Once a batch
/// is in the store, what it charged goes to the <see cref="SpendAlertMonitor"/>.
/// </summary>
internal sealed partial class LedgerJournal(
    JournalWriter writer, SettlementLog log, InstanceIdentity identity, SpendAlertMonitor alerts, BillingOptions options, ILogger<LedgerJournal> logger)
    : BackgroundService
{
    private const int MaxBatch = 5_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Channel<JournalEntry> _queue = Channel.CreateUnbounded<JournalEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, GenerationRecord> _pendingRecords = new(StringComparer.Ordinal);
    private readonly Lock _append = new();
    private long _appended;
    private long _committed;
    private long _unwritten;
    private long _unwrittenGenerations;
    private volatile bool _stopping;
    private volatile TaskCompletionSource _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _urged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the loop writes as soon as anything is queued: when responses wait for their commit.</summary>
    private readonly bool _eager = log.Durability == ChargeDurability.Commit;

    /// <summary>
    /// Whether a new generation may start: at once while the <see cref="Backlog"/> is below
    /// <see cref="BillingOptions.JournalCapacity"/>, else once commits bring it below, waited for up to
    /// <paramref name="timeout"/>. False when the store has not caught up by then (it is stalled) or the caller left.
    /// <para>
    /// Generations that are running do not count, only entries waiting to be written: a replica serving ten thousand
    /// long streams has nothing waiting for the store until they end, and must neither refuse the next request nor
    /// report itself unready for them. If many end while the store is stalled, the backlog passes the bound by at
    /// most the generations that were running, each of which held more memory than its entry while it ran.
    /// </para>
    /// </summary>
    public ValueTask<bool> AdmitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        HasRoom(this, 0)
            ? ValueTask.FromResult(true)
            : WaitForCommitsAsync(HasRoom, 0, timeout, time, cancellationToken);

    private static bool HasRoom(LedgerJournal journal, long _) => journal.Backlog < journal.Capacity;

    /// <summary>Generations whose entries are queued or being written: what stands between the store and a stall.</summary>
    public int Backlog => (int)Interlocked.Read(ref _unwrittenGenerations);

    /// <summary>
    /// Whether entries are queued or being written: until they are in the store, its balances, reservations and
    /// limit usage lag what this process knows.
    /// </summary>
    public bool HasUnwritten => Interlocked.Read(ref _unwritten) > 0;

    /// <summary><see cref="BillingOptions.JournalCapacity"/>: the backlog at which new generations wait.</summary>
    public int Capacity => options.JournalCapacity;

    /// <summary>
    /// Queues an admitted generation's entry. A <paramref name="delivered"/> one (a completed response about to go
    /// out) is made durable first: appended to the settlement log, or, where there is none or it failed, the receipt
    /// tells the caller to wait for its commit.
    /// </summary>
    public JournalReceipt Append(GenerationEntry entry, bool delivered)
    {
        _pendingRecords[entry.Record.Id] = entry.Record;
        bool queued;
        lock (_append)
        {
            entry.Sequence = ++_appended;
            Interlocked.Increment(ref _unwrittenGenerations); // before the loop can take it, as in TryQueue
            queued = TryQueue(entry);
            if (!queued)
            {
                Interlocked.Decrement(ref _unwrittenGenerations);
            }
        }
        if (!queued)
        {
            WriteAfterShutdown(entry); // committed before this returns
            return new JournalReceipt(entry.Sequence, MustWait: false);
        }
        // Logged after it is queued: the journal may commit it first, which is harmless (a segment goes only once
        // everything in it is committed, and replay skips what the store has). The response waits for this line only.
        var mustWait = delivered && log.Durability switch
        {
            ChargeDurability.Log => !log.TryAppend(entry),
            ChargeDurability.Commit => true,
            _ => false,
        };
        if (!_eager && (mustWait || entry.Sequence - Volatile.Read(ref _committed) >= MaxBatch))
        {
            _urged.TrySetResult(); // a response waits for this commit, or a full batch does: no pacing
        }
        return new JournalReceipt(entry.Sequence, mustWait);
    }

    public void Append(JournalEntry entry)
    {
        lock (_append)
        {
            if (TryQueue(entry))
            {
                return;
            }
        }
        WriteAfterShutdown(entry);
    }

    /// <summary>
    /// Queues an entry that will be written, counted as unwritten first: the loop can take and write it, and subtract
    /// it, before <c>TryWrite</c> even returns, and counted afterwards it would leave <see cref="HasUnwritten"/> false
    /// while it is being written. Called under <see cref="_append"/>. False once the queue is closed.
    /// </summary>
    private bool TryQueue(JournalEntry entry)
    {
        Interlocked.Increment(ref _unwritten);
        if (_queue.Writer.TryWrite(entry))
        {
            return true;
        }
        Interlocked.Decrement(ref _unwritten);
        return false;
    }

    /// <summary>
    /// Waits until the entry at <paramref name="sequence"/> is committed. False when <paramref name="timeout"/>
    /// passed first (the store is slow or down: the entry stays queued and is written when it answers) or the
    /// caller left.
    /// </summary>
    public ValueTask<bool> WaitCommittedAsync(long sequence, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WaitForCommitsAsync(IsCommitted, sequence, timeout, time, cancellationToken);

    private static bool IsCommitted(LedgerJournal journal, long sequence) => Volatile.Read(ref journal._committed) >= sequence;

    /// <summary>
    /// Waits, commit by commit, until <paramref name="done"/> holds. False when <paramref name="timeout"/> passed first
    /// or the caller left. <paramref name="done"/> is static, with its argument passed in, so a wait allocates no closure.
    /// </summary>
    private async ValueTask<bool> WaitForCommitsAsync(
        Func<LedgerJournal, long, bool> done, long argument, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var commit = _nextCommit.Task; // taken before the check, so a commit between the two is not missed
            if (done(this, argument))
            {
                return true;
            }
            var left = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }
            try
            {
                await commit.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Waits until everything appended so far is in the store (the journal writes at once, unpaced).</summary>
    public Task FlushAsync()
    {
        var flush = new FlushEntry();
        lock (_append)
        {
            if (!_queue.Writer.TryWrite(flush))
            {
                return Task.CompletedTask;
            }
        }
        _urged.TrySetResult();
        return flush.Done.Task;
    }

    /// <summary>A record not yet written to the store.</summary>
    public GenerationRecord? FindPendingRecord(string id) => _pendingRecords.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var entries = new List<JournalEntry>(MaxBatch);
        var lastWrite = Stopwatch.GetTimestamp();
        // The loop ends when the writer is completed (at stop) and the queue is empty: nothing is dropped.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!_eager)
            {
                await PaceAsync(lastWrite).ConfigureAwait(false);
            }
            lastWrite = Stopwatch.GetTimestamp();
            // Urges from here on are for entries this batch may not take; those before it are for entries it takes.
            if (_urged.Task.IsCompleted)
            {
                _urged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            log.Seal(); // every entry in the sealed segments is queued: this batch or an earlier one takes it
            while (entries.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                entries.Add(entry);
            }
            await WriteAsync(entries, stoppingToken).ConfigureAwait(false);
            entries.Clear();
            log.Release(Volatile.Read(ref _committed));
        }
        log.Close(Volatile.Read(ref _committed));
    }

    /// <summary>
    /// Waits out the rest of <see cref="BillingOptions.JournalInterval"/> since the last write began, unless something
    /// cannot wait (a flush, a response waiting for its commit, a full batch) or the process is stopping. Measured on
    /// the machine's clock, not the gateway's <see cref="TimeProvider"/>: it paces the machine's work, not business time.
    /// </summary>
    private async Task PaceAsync(long lastWrite)
    {
        var left = options.JournalInterval - Stopwatch.GetElapsedTime(lastWrite);
        var urged = _urged.Task;
        if (left <= TimeSpan.Zero || urged.IsCompleted || _stopping)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(left);
        await urged.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Called after every request has ended: closes the queue; the loop drains it and ends.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_append)
        {
            _queue.Writer.TryComplete();
        }
        _stopping = true;
        _urged.TrySetResult();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<JournalEntry> entries, CancellationToken stoppingToken)
    {
        var batch = new JournalBatch(entries);
        if (!batch.IsEmpty && !await WriteBatchAsync(batch, stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        Interlocked.Add(ref _unwritten, -batch.Writes);
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case FlushEntry flush:
                    flush.Done.TrySetResult();
                    break;
                case GenerationEntry { Record: var record }:
                    _pendingRecords.TryRemove(record.Id, out _);
                    break;
            }
        }
        if (batch.Generations > 0)
        {
            Volatile.Write(ref _committed, batch.LastSequence);
            Interlocked.Add(ref _unwrittenGenerations, -batch.Generations); // before the signal: admissions wait on it
            var committed = _nextCommit;
            _nextCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            committed.TrySetResult();
        }
    }

    /// <summary>The batch in one transaction, retried until it commits: dropping it would lose money already moved in memory.</summary>
    private async Task<bool> WriteBatchAsync(JournalBatch batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                var written = await writer.WriteAsync(batch).ConfigureAwait(false);
                Log.Wrote(logger, batch.Settlements.Count, batch.Records.Count);
                if (!written.Live)
                {
                    Log.Forfeited(logger, written.Identity);
                    identity.Forfeit(written.Identity);
                }
                alerts.Charged(batch.Settlements);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WriteFailed(logger, batch.Records.Count, batch.Settlements.Count, ex);
                if (stoppingToken.IsCancellationRequested && _queue.Reader.Completion.IsCompleted)
                {
                    Log.Abandoned(logger, batch.Settlements.Count, batch.Records.Count);
                    return false;
                }
                await Task.Delay(RetryDelay, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>An entry that arrives after the queue closed (nothing should): written at once rather than lost.</summary>
    private void WriteAfterShutdown(JournalEntry entry) =>
        WriteBatchAsync(new JournalBatch([entry]), new CancellationToken(canceled: true)).GetAwaiter().GetResult();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Journaled {Settlements} settlement(s) and {Records} generation record(s).")]
        public static partial void Wrote(ILogger logger, int settlements, int records);

        [LoggerMessage(2, LogLevel.Error, "Could not write a journal batch ({Records} record(s), {Settlements} settlement(s)); retrying.")]
        public static partial void WriteFailed(ILogger logger, int records, int settlements, Exception exception);

        [LoggerMessage(3, LogLevel.Critical, "Gave up a journal batch at shutdown, the store failing: {Settlements} settlement(s) and {Records} record(s) are lost.")]
        public static partial void Abandoned(ILogger logger, int settlements, int records);

        [LoggerMessage(4, LogLevel.Critical, "Instance {Identity} was taken for dead by another replica, which reclaimed its leases; its charges in flight come off balances alone, and it continues under a fresh identity.")]
        public static partial void Forfeited(ILogger logger, string identity);
    }
}

/// <summary>Where an appended generation stands: its journal position, and whether the caller must wait for its commit to hold it durable.</summary>
internal readonly record struct JournalReceipt(long Sequence, bool MustWait);
