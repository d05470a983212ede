using System.Collections.Concurrent;

namespace Switchboard.Keys;

/// <summary>
/// Hashes that matched no key, each remembered for <c>lifetime</c>, at most <c>capacity</c> at a time: a client
/// retrying a bad key costs one query per lifetime, while a flood of random keys (each new) costs memory that is
/// bounded and comes back by itself. Before, misses stayed for good: 110,767 random keys in a minute added 15 MB.
/// </summary>
/// <remarks>
/// Two generations, each as long as the lifetime and holding half the capacity. When the current one ends it
/// becomes the previous one and the previous is dropped whole, so expiry needs no sweep and no per-entry timer; an
/// entry's own deadline keeps its lifetime exact. A generation that is full takes no more: the lookup it would
/// have saved is one query, which the failure throttle already bounds per client.
/// </remarks>
internal sealed class UnknownKeys
{
    private readonly int _perGeneration;
    private readonly long _lifetime;
    private readonly TimeProvider _time;
    private readonly Lock _turning = new();
    private volatile Generation _current;
    private volatile Generation _previous;

    public UnknownKeys(int capacity, TimeSpan lifetime, TimeProvider time)
    {
        _perGeneration = capacity / 2;
        _lifetime = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
        _time = time;
        var now = time.GetTimestamp();
        _previous = new Generation(now);
        _current = new Generation(now + _lifetime);
    }

    /// <summary>Hashes remembered now (expired ones included until their generation is dropped).</summary>
    public int Count
    {
        get
        {
            Turn(_time.GetTimestamp());
            return _current.Entries.Count + _previous.Entries.Count;
        }
    }

    public bool Contains(ReadOnlySpan<char> hash)
    {
        var now = _time.GetTimestamp();
        Turn(now);
        return Remembered(_current, hash, now) || Remembered(_previous, hash, now);
    }

    public void Add(string hash)
    {
        var now = _time.GetTimestamp();
        Turn(now);
        var current = _current;
        if (Volatile.Read(ref current.Added) >= _perGeneration)
        {
            return;
        }
        if (current.Entries.TryAdd(hash, now + _lifetime))
        {
            Interlocked.Increment(ref current.Added);
        }
        else
        {
            current.Entries[hash] = now + _lifetime;
        }
    }

    public void Remove(string hash)
    {
        _current.Entries.TryRemove(hash, out _);
        _previous.Entries.TryRemove(hash, out _);
    }

    private static bool Remembered(Generation generation, ReadOnlySpan<char> hash, long now) =>
        generation.Entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hash, out var forgetAt) && now < forgetAt;

    private void Turn(long now)
    {
        if (now < _current.Ends)
        {
            return;
        }
        lock (_turning)
        {
            if (now < _current.Ends)
            {
                return;
            }
            // After a quiet spell longer than a generation, both are stale: start afresh.
            var fresh = now < _current.Ends + _lifetime;
            _previous = fresh ? _current : new Generation(now);
            _current = new Generation(now + _lifetime);
        }
    }

    private sealed class Generation(long ends)
    {
        public long Ends { get; } = ends;

        public ConcurrentDictionary<string, long> Entries { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Hashes added, which the capacity check reads: ConcurrentDictionary.Count would take every lock of the
        /// table on each miss. Removals do not lower it, so it errs towards remembering fewer.
        /// </summary>
        public int Added;
    }
}
