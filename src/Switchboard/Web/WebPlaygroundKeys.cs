using System.Collections.Concurrent;
using Switchboard.Keys;

namespace Switchboard.Web;

/// <summary>
/// The inference key a signed-in account's playground and compare screens call models through, one per account,
/// made on first use. Its usage, limits and generation records are the account's like any other key's. Disabling
/// or deleting it retires it: the app's next call makes a new one. A spend limit on it is what caps the app.
/// </summary>
internal sealed class WebPlaygroundKeys(ApiKeyStore store, ApiKeyCache keys, TimeProvider time)
{
    public const string KeyName = "Web app (playground)";
    private readonly ConcurrentDictionary<long, string> _hashes = new();

    public async ValueTask<CallerKey?> KeyAsync(long accountId, CancellationToken cancellationToken)
    {
        if (_hashes.TryGetValue(accountId, out var hash) && await keys.FindAsync(hash, cancellationToken) is { } key
            && key.IsUsable(time.GetUtcNow().UtcDateTime))
        {
            return key;
        }
        hash = await store.FindOrCreateNamedAsync(accountId, KeyName, ApiKeyKind.Inference, cancellationToken);
        _hashes[accountId] = hash;
        return await keys.FindAsync(hash, cancellationToken);
    }
}
