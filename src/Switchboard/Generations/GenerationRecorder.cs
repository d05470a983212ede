using System.Collections.Concurrent;
using System.Threading.Channels;
using Switchboard.Data;

namespace Switchboard.Generations;

/// <summary>
/// Writes generation records off the request path: requests enqueue, one loop inserts them in batches. Until a
/// record is written it can still be found here, so <c>GET /generation</c> answers as soon as a response ends.
/// On shutdown the queue is drained before the process exits.
/// </summary>
internal sealed partial class GenerationRecorder(SwitchboardStore store, ILogger<GenerationRecorder> logger) : BackgroundService
{
    private const int MaxBatch = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<GenerationRecord> _queue = Channel.CreateUnbounded<GenerationRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, GenerationRecord> _pending = new(StringComparer.Ordinal);

    public void Enqueue(GenerationRecord record)
    {
        _pending[record.Id] = record;
        if (!_queue.Writer.TryWrite(record))
        {
            // Only after shutdown has begun; the record is written synchronously rather than lost.
            WriteBatchAsync([record], CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>A record not yet written to the store.</summary>
    public GenerationRecord? FindPending(string id) => _pending.GetValueOrDefault(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<GenerationRecord>(MaxBatch);
        // The loop ends when the writer is completed (at stop) and the queue is empty: nothing is dropped.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }
            await WriteBatchAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteBatchAsync(List<GenerationRecord> batch, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await store.WriteAsync(async db =>
                {
                    db.Generations.AddRange(batch);
                    return await db.SaveChangesAsync(CancellationToken.None);
                }, CancellationToken.None).ConfigureAwait(false);
                foreach (var record in batch)
                {
                    _pending.TryRemove(record.Id, out _);
                }
                Log.Wrote(logger, batch.Count);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep the records and try again: losing them would lose the audit trail of money already moved.
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
        [LoggerMessage(1, LogLevel.Debug, "Wrote {Count} generation record(s).")]
        public static partial void Wrote(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Error, "Could not write {Count} generation record(s); retrying.")]
        public static partial void WriteFailed(ILogger logger, int count, Exception exception);
    }
}
