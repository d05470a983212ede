using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>Creates, changes and deletes keys. Each change moves <see cref="ApiKey.UpdatedAt"/> and evicts the key from this process's cache.</summary>
internal sealed class ApiKeyStore(SwitchboardStore store, ApiKeyCache cache, TimeProvider time)
{
    /// <returns>The stored key and its secret, which exists nowhere else and is never shown again.</returns>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(long accountId, ApiKeySpec spec, string? secret = null, CancellationToken cancellationToken = default)
    {
        secret ??= ApiKeySecret.New();
        var now = time.GetUtcNow().UtcDateTime;
        var key = new ApiKey
        {
            AccountId = accountId,
            Hash = ApiKeySecret.Hash(secret),
            Label = ApiKeySecret.Label(secret),
            Name = spec.Name,
            Kind = spec.Kind,
            Limit = spec.Limit,
            LimitReset = spec.LimitReset,
            IncludeByokInLimit = spec.IncludeByokInLimit,
            ExpiresAt = spec.ExpiresAt,
            AllowedModels = KeyRuleColumn.Write(spec.AllowedModels),
            AllowedProviders = KeyRuleColumn.Write(spec.AllowedProviders),
            RequestsPerMinute = spec.RequestsPerMinute,
            TokensPerMinute = spec.TokensPerMinute,
            PeriodStart = LimitPeriod.Start(spec.LimitReset, now),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.WriteAsync(async db =>
        {
            db.ApiKeys.Add(key);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        cache.Evict(key.Hash); // a miss on this hash may have been remembered
        return (key, secret);
    }

    public async Task<ApiKey?> FindAsync(long accountId, string hash, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.ApiKeys.FirstOrDefaultAsync(k => k.AccountId == accountId && k.Hash == hash && k.DeletedAt == null, cancellationToken);
    }

    /// <summary>
    /// The hash of the account's usable key with this name and kind, made when there is none: the keys the web app
    /// acts through. Disabling or deleting one stops what used it; the next use makes a new one.
    /// </summary>
    public async Task<string> FindOrCreateNamedAsync(long accountId, string name, ApiKeyKind kind, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = store.Read())
        {
            var existing = await db.ApiKeys
                .Where(k => k.AccountId == accountId && k.Name == name && k.Kind == kind && !k.Disabled && k.DeletedAt == null
                    && (k.ExpiresAt == null || k.ExpiresAt > now))
                .OrderBy(k => k.Id)
                .Select(k => k.Hash)
                .FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                return existing;
            }
        }
        var (key, _) = await CreateAsync(accountId, new ApiKeySpec(name, kind), cancellationToken: cancellationToken);
        return key.Hash;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(long accountId, bool includeDisabled, int offset, int count, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.ApiKeys
            .Where(k => k.AccountId == accountId && k.DeletedAt == null && (includeDisabled || !k.Disabled))
            .OrderBy(k => k.Id)
            .Skip(offset)
            .Take(count)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Applies <paramref name="change"/> to the key; null when the account has no such key.</summary>
    public async Task<ApiKey?> UpdateAsync(long accountId, string hash, Action<ApiKey> change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var updated = await store.WriteAsync(async db =>
        {
            var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.AccountId == accountId && k.Hash == hash && k.DeletedAt == null, cancellationToken);
            if (key is null)
            {
                return null;
            }
            var reset = key.LimitReset;
            change(key);
            if (key.LimitReset != reset)
            {
                // A new reset schedule starts a new period; spend so far stays in the lifetime usage.
                key.PeriodUsage = 0m;
                key.PeriodStart = LimitPeriod.Start(key.LimitReset, now);
            }
            key.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return key;
        }, cancellationToken);
        cache.Evict(hash);
        return updated;
    }

    /// <summary>The key with this hash in any account, for the operator's command line; null when there is none.</summary>
    public async Task<ApiKey?> FindAnyAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        return await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash && k.DeletedAt == null, cancellationToken);
    }

    /// <summary>Deletes the key for good (its ledger entries and generation records keep pointing at it).</summary>
    public async Task<bool> DeleteAsync(long accountId, string hash, CancellationToken cancellationToken) =>
        await UpdateAsync(accountId, hash, key =>
        {
            key.DeletedAt = time.GetUtcNow().UtcDateTime;
            key.Disabled = true;
        }, cancellationToken) is not null;
}

/// <summary>What a new key is: its name, kind, limits and (for an inference key) what it may call and how often.</summary>
internal sealed record ApiKeySpec(
    string Name,
    ApiKeyKind Kind = ApiKeyKind.Inference,
    decimal? Limit = null,
    LimitReset? LimitReset = null,
    bool IncludeByokInLimit = false,
    DateTime? ExpiresAt = null,
    IReadOnlyList<string>? AllowedModels = null,
    IReadOnlyList<string>? AllowedProviders = null,
    int? RequestsPerMinute = null,
    long? TokensPerMinute = null);
