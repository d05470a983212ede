using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Switchboard.Chat;
using Switchboard.Data;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Settings;

/// <summary>
/// Account profiles by account id, so a request reads its account's settings without a database round trip once
/// the account has been seen. Changes made through this process evict at once; changes made elsewhere are picked
/// up by <see cref="SettingsChangeWatcher"/> within its poll interval.
/// </summary>
internal sealed partial class AccountProfiles(
    SwitchboardStore store, ProviderRegistry providers, ProviderKeyProtector protector, ILogger<AccountProfiles> logger)
{
    private readonly ConcurrentDictionary<long, AccountProfile> _profiles = new();

    public ValueTask<AccountProfile> GetAsync(long accountId, CancellationToken cancellationToken) =>
        _profiles.TryGetValue(accountId, out var profile)
            ? ValueTask.FromResult(profile)
            : new ValueTask<AccountProfile>(LoadAsync(accountId, cancellationToken));

    public void Evict(long accountId) => _profiles.TryRemove(accountId, out _);

    private async Task<AccountProfile> LoadAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = store.Read();
        var settings = await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.StorePrompts, a.ExcludeTrainingProviders, a.DefaultModel })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var keys = await db.AccountProviderKeys.Where(k => k.AccountId == accountId)
            .Select(k => new { k.ProviderSlug, k.Ciphertext })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        Dictionary<string, ProviderRuntime>? own = null;
        HashSet<string>? unreadable = null;
        foreach (var key in keys)
        {
            if (providers.Find(key.ProviderSlug) is not { } provider)
            {
                continue; // a provider no longer in the catalog
            }
            if (protector.TryUnprotect(key.Ciphertext) is not { } secret)
            {
                // Never the gateway's credential in its place: the account would pay full price for a provider it pays itself.
                Log.UnreadableKey(logger, accountId, key.ProviderSlug);
                (unreadable ??= new(StringComparer.OrdinalIgnoreCase)).Add(provider.Info.Slug);
                continue;
            }
            (own ??= new(StringComparer.OrdinalIgnoreCase))[provider.Info.Slug] = provider.WithAccountKey(new ProviderCredential(secret));
        }

        var profile = new AccountProfile(
            settings?.StorePrompts ?? false,
            new RequestDefaults(settings?.DefaultModel, settings?.ExcludeTrainingProviders ?? false),
            own?.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
            unreadable?.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
        _profiles[accountId] = profile;
        return profile;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error,
            "Account {AccountId}'s key for {Provider} cannot be decrypted on this replica: it was stored under a data-protection key this replica cannot read (see /readyz). The account's requests do not use that provider here until it can, or the key is entered again.")]
        public static partial void UnreadableKey(ILogger logger, long accountId, string provider);
    }
}
