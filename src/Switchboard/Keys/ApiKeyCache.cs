using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Configuration;
using Switchboard.Data;
using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>
/// Keys by hash, so authentication costs no database round trip once a key has been seen. Changes made through
/// this process evict at once; changes made elsewhere (another replica, the command line) are picked up by
/// <see cref="ApiKeyChangeWatcher"/> within its poll interval. Unknown hashes are remembered briefly, so a
/// client retrying a bad key cannot turn every request into a query. Both are bounded
/// (<see cref="KeyAuthenticationOptions"/>): <see cref="KnownKeys"/> and <see cref="UnknownKeys"/>.
/// </summary>
internal sealed class ApiKeyCache(SwitchboardStore store, IOptions<SwitchboardOptions> options, TimeProvider time)
{
    public static readonly TimeSpan UnknownKeyLifetime = TimeSpan.FromSeconds(1);

    private readonly KnownKeys _known = new(options.Value.Authentication.KeyCacheSize);
    private readonly UnknownKeys _unknown = new(options.Value.Authentication.UnknownKeyCacheSize, UnknownKeyLifetime, time);

    /// <summary>Keys held in memory.</summary>
    public int KnownCount => _known.Count;

    /// <summary>Unknown hashes held in memory.</summary>
    public int UnknownCount => _unknown.Count;

    /// <summary>A key already in memory: found without allocating (the hash is looked up as a span) and without a query.</summary>
    public bool TryGetKnown(ReadOnlySpan<char> hash, [NotNullWhen(true)] out CallerKey? key) => _known.TryGet(hash, out key);

    /// <summary>The key with this hash; a cached one is found without allocating.</summary>
    public ValueTask<CallerKey?> FindAsync(ReadOnlySpan<char> hash, CancellationToken cancellationToken)
    {
        if (_known.TryGet(hash, out var key))
        {
            return ValueTask.FromResult<CallerKey?>(key);
        }
        if (_unknown.Contains(hash))
        {
            return ValueTask.FromResult<CallerKey?>(null);
        }
        return new ValueTask<CallerKey?>(LoadAsync(hash.ToString(), cancellationToken));
    }

    public void Evict(string hash)
    {
        _known.Remove(hash);
        _unknown.Remove(hash);
    }

    private async Task<CallerKey?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        var row = await db.ApiKeys
            .Where(k => k.Hash == hash && k.DeletedAt == null)
            .Join(db.Accounts, k => k.AccountId, a => a.Id, (k, a) => new
            {
                Key = new CallerKey(k.Id, k.AccountId, k.Hash, k.Label, k.Kind, k.Disabled, k.ExpiresAt, k.Limit, k.LimitReset, k.IncludeByokInLimit,
                    a.IsAdmin, null, k.RequestsPerMinute, k.TokensPerMinute),
                k.AllowedModels,
                k.AllowedProviders,
            })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        // The rules are parsed here, once per load, so the request path only reads them.
        var key = row is null ? null : row.Key with { Governance = KeyGovernance.From(row.AllowedModels, row.AllowedProviders) };
        if (key is null)
        {
            _unknown.Add(hash);
        }
        else
        {
            _known.Add(key);
        }
        return key;
    }
}
