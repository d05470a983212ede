using System.Collections.Frozen;
using Switchboard.Catalog;

namespace Switchboard.Providers;

/// <summary>
/// The providers one request may call: the gateway's, except those the account brought its own key for, which
/// are called with that key instead, and those whose stored key this replica cannot decrypt, which are not called at
/// all (<see cref="IsWithheld"/>). A struct over three references, so a request without own keys pays nothing.
/// </summary>
internal readonly struct ProviderSet(
    ProviderRegistry registry, FrozenDictionary<string, ProviderRuntime>? accountKeys, FrozenSet<string>? withheld = null)
{
    public ProviderRuntime this[ProviderInfo provider] =>
        accountKeys is not null && accountKeys.TryGetValue(provider.Slug, out var own) ? own : registry[provider];

    /// <summary>
    /// The account has its own key for this provider and this replica cannot decrypt it: the provider is not called
    /// for the account's requests, since the only credential left is the gateway's, at full price, which the account
    /// did not choose (docs/accounts.md, "Own provider keys").
    /// </summary>
    public bool IsWithheld(ProviderInfo provider) => withheld is not null && withheld.Contains(provider.Slug);
}
