using System.Collections.Frozen;
using Switchboard.Catalog;

namespace Switchboard.Providers;

/// <summary>
/// The providers one request may call: the gateway's, except those the account brought its own key for, which
/// are called with that key instead. A struct over two references, so a request without own keys pays nothing.
/// </summary>
internal readonly struct ProviderSet(ProviderRegistry registry, FrozenDictionary<string, ProviderRuntime>? accountKeys)
{
    public ProviderRuntime this[ProviderInfo provider] =>
        accountKeys is not null && accountKeys.TryGetValue(provider.Slug, out var own) ? own : registry[provider];
}
