using System.Collections.Concurrent;
using Switchboard.Billing;

namespace Switchboard.Instances;

/// <summary>
/// The generations this process is running. Ones that run past <see cref="MarkAfter"/> get an in-flight marker in
/// the store (written by the journal), so that if the process dies under them a replica can record them as
/// interrupted; one that settles removes its marker in the transaction that writes its record. Most generations
/// end before a marker is ever written, and cost the store nothing here.
/// </summary>
internal sealed class InFlightRegistry(LedgerJournal journal, InstanceIdentity identity, TimeProvider time)
{
    public static readonly TimeSpan MarkAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, InFlightSlot> _running = new(StringComparer.Ordinal);

    public int Count => _running.Count;

    public InFlightSlot Start(string generationId, long accountId, long apiKeyId, string requestedModel, bool streamed, string api)
    {
        var slot = new InFlightSlot(generationId, accountId, apiKeyId, requestedModel, streamed, api, time.GetUtcNow().UtcDateTime, time.GetTimestamp());
        _running[generationId] = slot;
        return slot;
    }

    /// <summary>Ends the slot; true when a marker was written for it, which the generation's entry must remove.</summary>
    public bool End(InFlightSlot slot)
    {
        _running.TryRemove(slot.GenerationId, out _);
        return slot.End();
    }

    /// <summary>Queues a marker for every generation running longer than <see cref="MarkAfter"/> that has none yet.</summary>
    public void MarkLongRunning()
    {
        var before = time.GetTimestamp() - (long)(MarkAfter.TotalSeconds * time.TimestampFrequency);
        foreach (var slot in _running.Values)
        {
            if (slot.StartedTimestamp <= before)
            {
                slot.Mark(journal, identity.Current);
            }
        }
    }
}

/// <summary>One running generation: what its marker would say, and whether one was written.</summary>
internal sealed class InFlightSlot(string generationId, long accountId, long apiKeyId, string requestedModel, bool streamed, string api, DateTime startedAt, long startedTimestamp)
{
    private readonly Lock _lock = new();
    private State _state;

    private enum State
    {
        Running,
        Marked,
        Ended,
    }

    public string GenerationId { get; } = generationId;
    public long StartedTimestamp { get; } = startedTimestamp;

    /// <summary>
    /// Queues the marker, under the slot's lock, so that the generation's own entry (which removes the marker) can
    /// only be queued after it: the journal writes them in that order.
    /// </summary>
    public void Mark(LedgerJournal journal, string owner)
    {
        lock (_lock)
        {
            if (_state != State.Running)
            {
                return;
            }
            _state = State.Marked;
            journal.Append(new MarkEntry(new InFlightGeneration
            {
                Id = GenerationId,
                Instance = owner,
                AccountId = accountId,
                ApiKeyId = apiKeyId,
                RequestedModel = requestedModel,
                Streamed = streamed,
                Api = api,
                StartedAt = startedAt,
            }));
        }
    }

    public bool End()
    {
        lock (_lock)
        {
            var marked = _state == State.Marked;
            _state = State.Ended;
            return marked;
        }
    }
}
