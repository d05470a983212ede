using System.Collections.Frozen;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Requests;

namespace Switchboard.Settings;

/// <summary>
/// What a request needs to know about its account's settings, as <see cref="AccountProfiles"/> caches it: the data
/// policy, the default model, the providers the account calls with its own keys, and those whose key is unreadable here.
/// </summary>
internal sealed class AccountProfile(
    bool storePrompts, RequestDefaults defaults, FrozenDictionary<string, ProviderRuntime>? accountKeys, FrozenSet<string>? unreadableKeys = null)
{
    /// <summary>Keep the text of this account's requests and completions (<see cref="Generations.GenerationContent"/>).</summary>
    public bool StorePrompts { get; } = storePrompts;

    /// <summary>What a request leaves out and the account's settings fill in.</summary>
    public RequestDefaults Defaults { get; } = defaults;

    /// <summary>
    /// The gateway's providers, with the account's own keys in place where it has them, and without those whose stored
    /// key this replica cannot decrypt.
    /// </summary>
    public ProviderSet Providers(ProviderRegistry registry) => new(registry, accountKeys, unreadableKeys);
}
