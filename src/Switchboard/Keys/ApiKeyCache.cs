using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Keys;

/// <summary>
/// Keys by hash, so authentication costs no database round trip once a key has been seen. Changes made through
/// this process evict at once; changes made elsewhere (another replica, the command line) are picked up by
/// <see cref="ApiKeyChangeWatcher"/> within its poll interval. Unknown hashes are remembered briefly, so a
/// client retrying a bad key cannot turn every request into a query.
/// </summary>
internal sealed class ApiKeyCache(SwitchboardStore store, TimeProvider time)
{
    private static readonly TimeSpan UnknownKeyLifetime = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The key with this hash; a cached one is found without allocating (the hash is looked up as a span).</summary>
    public ValueTask<CallerKey?> FindAsync(ReadOnlySpan<char> hash, CancellationToken cancellationToken)
    {
        if (_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hash, out var entry)
            && (entry.Key is not null || time.GetTimestamp() < entry.ForgetAt))
        {
            return ValueTask.FromResult(entry.Key);
        }
        return new ValueTask<CallerKey?>(LoadAsync(hash.ToString(), cancellationToken));
    }

    public void Evict(string hash) => _entries.TryRemove(hash, out _);

    public void Clear() => _entries.Clear();

    private async Task<CallerKey?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        var key = await db.ApiKeys
            .Where(k => k.Hash == hash && k.DeletedAt == null)
            .Join(db.Accounts, k => k.AccountId, a => a.Id, (k, a) => new CallerKey(
                k.Id, k.AccountId, k.Hash, k.Label, k.Kind, k.Disabled, k.ExpiresAt, k.Limit, k.LimitReset, k.IncludeByokInLimit, a.IsAdmin))
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var forgetAt = time.GetTimestamp() + (long)(UnknownKeyLifetime.TotalSeconds * time.TimestampFrequency);
        _entries[hash] = new Entry(key, forgetAt);
        return key;
    }

    private readonly record struct Entry(CallerKey? Key, long ForgetAt);
}
