using System.Collections.Concurrent;
using Switchboard.Keys;

namespace Switchboard.Web;

/// <summary>
/// The inference key a signed-in account's playground and compare screens call models through, one per account,
/// made on first use. Its usage, limits and generation records are the account's like any other key's; disabling
/// it stops the web app's calls until a new one is made.
/// </summary>
internal sealed class WebPlaygroundKeys(ApiKeyStore store, ApiKeyCache keys, TimeProvider time)
{
    public const string KeyName = "Web app (playground)";
    private readonly ConcurrentDictionary<long, string> _hashes = new();

    public async ValueTask<string> HashAsync(long accountId, CancellationToken cancellationToken)
    {
        if (_hashes.TryGetValue(accountId, out var hash) && await keys.FindAsync(hash, cancellationToken) is { Disabled: false } key
            && !key.IsExpired(time.GetUtcNow().UtcDateTime))
        {
            return hash;
        }
        hash = await store.FindOrCreateNamedAsync(accountId, KeyName, ApiKeyKind.Inference, cancellationToken);
        _hashes[accountId] = hash;
        return hash;
    }
}
