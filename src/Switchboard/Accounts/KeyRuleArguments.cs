using System.Globalization;
using Switchboard.Catalog;
using Switchboard.Keys;
using Switchboard.Routing;

namespace Switchboard.Accounts;

/// <summary>
/// The governance options of <c>create-key</c> and <c>update-key</c>: <c>--allowed-models a,b</c>,
/// <c>--allowed-providers x,y</c>, <c>--rpm n</c>, <c>--tpm n</c>, checked as the keys API checks them
/// (<see cref="KeyRuleValidation"/>). On <c>update-key</c>, <c>all</c> lifts a list and <c>default</c> returns a rate to
/// the gateway's. Providers and the gateway's rate are only known once the host is built: <see cref="Resolve"/>.
/// </summary>
internal sealed class KeyRuleArguments
{
    public static readonly string[] Options = ["--allowed-models", "--allowed-providers", "--rpm", "--tpm"];

    private readonly string? _providers;

    public KeyRuleArguments(AdminArguments arguments, bool clearable)
    {
        if (arguments.Raw("--allowed-models") is { } models)
        {
            if (clearable && models == "all")
            {
                AllowedModels = new(null);
            }
            else if (KeyRuleValidation.Patterns(models.Split(','), out var patterns) is { } problem)
            {
                arguments.Problem($"--allowed-models: {problem}");
            }
            else
            {
                AllowedModels = new(patterns);
            }
        }
        _providers = arguments.Raw("--allowed-providers");
        if (clearable && _providers == "all")
        {
            AllowedProviders = new(null);
            _providers = null;
        }
        RequestsPerMinute = Rate(arguments, "--rpm", clearable, v => KeyRuleValidation.RequestsPerMinute(v, gatewayLimit: 0));
        TokensPerMinute = Rate(arguments, "--tpm", clearable, KeyRuleValidation.TokensPerMinute);
    }

    public Optional<IReadOnlyList<string>?> AllowedModels { get; }
    public Optional<IReadOnlyList<string>?> AllowedProviders { get; private set; }
    public Optional<long?> RequestsPerMinute { get; }
    public Optional<long?> TokensPerMinute { get; }

    /// <summary>Checks what needs the gateway's configuration: the providers named, and the rate against the gateway's.</summary>
    /// <returns>The problem, or null.</returns>
    public string? Resolve(IReadOnlyList<ProviderInfo> providers, int gatewayRequestsPerMinute)
    {
        if (_providers is not null)
        {
            if (KeyRuleValidation.Providers(_providers.Split(','), providers, out var slugs) is { } problem)
            {
                return $"--allowed-providers: {problem}";
            }
            AllowedProviders = new(slugs);
        }
        return RequestsPerMinute is { HasValue: true, Value: { } rpm } && KeyRuleValidation.RequestsPerMinute(rpm, gatewayRequestsPerMinute) is { } tooMany
            ? $"--rpm: {tooMany}"
            : null;
    }

    public ApiKeySpec ApplyTo(ApiKeySpec spec) => spec with
    {
        AllowedModels = AllowedModels.HasValue ? AllowedModels.Value : null,
        AllowedProviders = AllowedProviders.HasValue ? AllowedProviders.Value : null,
        RequestsPerMinute = RequestsPerMinute.HasValue ? (int?)RequestsPerMinute.Value : null,
        TokensPerMinute = TokensPerMinute.HasValue ? TokensPerMinute.Value : null,
    };

    public void ApplyTo(ApiKey key)
    {
        if (AllowedModels.HasValue) key.AllowedModels = KeyRuleColumn.Write(AllowedModels.Value);
        if (AllowedProviders.HasValue) key.AllowedProviders = KeyRuleColumn.Write(AllowedProviders.Value);
        if (RequestsPerMinute.HasValue) key.RequestsPerMinute = (int?)RequestsPerMinute.Value;
        if (TokensPerMinute.HasValue) key.TokensPerMinute = TokensPerMinute.Value;
    }

    private static Optional<long?> Rate(AdminArguments arguments, string name, bool clearable, Func<long, string?> check)
    {
        if (arguments.Raw(name) is not { } value)
        {
            return default;
        }
        if (clearable && value == "default")
        {
            return new(null);
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rate))
        {
            arguments.Problem($"{name} must be a whole number{(clearable ? " or 'default'" : "")}, not '{value}'.");
            return default;
        }
        if (check(rate) is { } problem)
        {
            arguments.Problem($"{name}: {problem}");
            return default;
        }
        return new(rate);
    }
}
