using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Keys;

/// <summary>
/// Keys found in the store, by hash, at most <c>capacity</c> of them. Only a key that exists can get in, so the
/// bound is not a defence against guessing (that is <see cref="UnknownKeys"/> and the failure throttle); it caps
/// what an account creating keys by the million could make every replica hold.
/// </summary>
internal sealed class KnownKeys(int capacity)
{
    private readonly ConcurrentDictionary<string, CallerKey> _entries = new(StringComparer.Ordinal);
    private readonly Lock _trimming = new();

    // ConcurrentDictionary.Count takes every lock of the table; a counter kept beside it is what Add reads.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The request path's lookup: the hash as a span, so a cached key costs no allocation.</summary>
    public bool TryGet(ReadOnlySpan<char> hash, [NotNullWhen(true)] out CallerKey? key) =>
        _entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hash, out key);

    public void Add(CallerKey key)
    {
        // Add or replace, so that the counter stays exact even against a concurrent Remove of the same hash.
        while (!_entries.TryAdd(key.Hash, key))
        {
            if (_entries.TryGetValue(key.Hash, out var old) && _entries.TryUpdate(key.Hash, key, old))
            {
                return;
            }
        }
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Trim();
        }
    }

    public void Remove(string hash)
    {
        if (_entries.TryRemove(hash, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>
    /// Drops an arbitrary tenth (the table's own order, which follows the hashes), not the least recently used: keeping
    /// recency would cost a write on every request, and a table this large rarely fills. A dropped key costs one query.
    /// </summary>
    private void Trim()
    {
        lock (_trimming)
        {
            var target = capacity - Math.Max(1, capacity / 10);
            foreach (var (hash, _) in _entries)
            {
                if (Volatile.Read(ref _count) <= target)
                {
                    return;
                }
                Remove(hash);
            }
        }
    }
}
