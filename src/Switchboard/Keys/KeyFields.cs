using System.Globalization;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Routing;

namespace Switchboard.Keys;

/// <summary>
/// The fields of <c>POST /keys</c> and <c>PATCH /keys/{hash}</c>. Read from a <see cref="JsonElement"/> so a
/// PATCH can tell "not sent" (leave alone) from <c>null</c> (clear the limit, the reset or the expiry).
/// The governance fields (<c>allowed_models</c>, <c>allowed_providers</c>, <c>requests_per_minute</c>,
/// <c>tokens_per_minute</c>) are checked by <see cref="KeyRuleValidation"/>; null clears each.
/// An <c>expires_at</c> that has already passed is refused on both: it would make a key that never works, or switch
/// one off under a name that says "expired" when "disabled" was meant.
/// </summary>
internal sealed class KeyFields
{
    public Optional<string> Name { get; private set; }
    public Optional<bool> Disabled { get; private set; }
    public Optional<decimal?> Limit { get; private set; }
    public Optional<LimitReset?> LimitReset { get; private set; }
    public Optional<bool> IncludeByokInLimit { get; private set; }
    public Optional<DateTime?> ExpiresAt { get; private set; }
    public Optional<bool> IsManagementKey { get; private set; }
    public Optional<IReadOnlyList<string>?> AllowedModels { get; private set; }
    public Optional<IReadOnlyList<string>?> AllowedProviders { get; private set; }
    public Optional<int?> RequestsPerMinute { get; private set; }
    public Optional<long?> TokensPerMinute { get; private set; }

    /// <summary>Whether any governance field (which only inference keys carry) was sent with a value.</summary>
    public bool SetsGovernance =>
        AllowedModels is { HasValue: true, Value: not null } || AllowedProviders is { HasValue: true, Value: not null }
        || RequestsPerMinute is { HasValue: true, Value: not null } || TokensPerMinute is { HasValue: true, Value: not null };

    /// <param name="rules">What the governance fields are checked against: the gateway's providers and request rate.</param>
    public static async Task<(KeyFields? Fields, ApiError? Error)> ReadAsync(HttpRequest request, DateTime utcNow, KeyRuleContext rules)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return (null, error);
        }
        var fields = new KeyFields();
        foreach (var property in body.EnumerateObject())
        {
            if ((fields.Read(property, utcNow) ?? fields.ReadRule(property, rules)) is { } invalid)
            {
                return (null, invalid);
            }
        }
        return (fields, null);
    }

    private ApiError? Read(JsonProperty property, DateTime utcNow)
    {
        var value = property.Value;
        switch (property.Name)
        {
            case "name":
                if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Length > 200)
                {
                    return ApiError.BadRequest("'name' must be a non-empty string of at most 200 characters.", "name");
                }
                Name = new(value.GetString()!.Trim());
                return null;
            case "disabled":
                return ReadBool(value, "disabled", v => Disabled = new(v));
            case "include_byok_in_limit":
                return ReadBool(value, "include_byok_in_limit", v => IncludeByokInLimit = new(v));
            case "is_management_key":
                return ReadBool(value, "is_management_key", v => IsManagementKey = new(v));
            case "limit":
                if (value.ValueKind == JsonValueKind.Null)
                {
                    Limit = new(null);
                    return null;
                }
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var limit) || limit < 0m)
                {
                    return ApiError.BadRequest("'limit' must be a number of USD, zero or more, or null for no limit.", "limit");
                }
                Limit = new(limit);
                return null;
            case "limit_reset":
                var reset = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                if ((value.ValueKind != JsonValueKind.Null && reset is null) || !LimitPeriod.TryParse(reset, out var parsed))
                {
                    return ApiError.BadRequest("'limit_reset' must be \"daily\", \"weekly\", \"monthly\" or null.", "limit_reset");
                }
                LimitReset = new(parsed);
                return null;
            case "expires_at":
                if (value.ValueKind == JsonValueKind.Null)
                {
                    ExpiresAt = new(null);
                    return null;
                }
                if (value.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
                {
                    return ApiError.BadRequest("'expires_at' must be an ISO 8601 date-time (e.g. \"2027-12-31T23:59:59Z\") or null.", "expires_at");
                }
                if (expires.UtcDateTime <= utcNow)
                {
                    return ApiError.BadRequest(
                        $"'expires_at' must be in the future (it is {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, now is {utcNow:yyyy-MM-ddTHH:mm:ssZ}); "
                        + "send null for a key that never expires, or disable the key instead.", "expires_at");
                }
                ExpiresAt = new(expires.UtcDateTime);
                return null;
            default:
                // The governance fields (ReadRule), and OpenRouter fields we do not use (workspace_id, creator_user_id),
                // which are accepted and ignored.
                return null;
        }
    }

    /// <summary>The governance fields; null also for a property that is not one of them.</summary>
    private ApiError? ReadRule(JsonProperty property, KeyRuleContext rules)
    {
        var value = property.Value;
        switch (property.Name)
        {
            case "allowed_models":
                return ReadList(value, "allowed_models", "model patterns", entries =>
                    KeyRuleValidation.Patterns(entries, out var patterns) is { } problem ? problem : Set(() => AllowedModels = new(patterns)),
                    () => AllowedModels = new(null));
            case "allowed_providers":
                return ReadList(value, "allowed_providers", "provider slugs", entries =>
                    KeyRuleValidation.Providers(entries, rules.Providers, out var slugs) is { } problem ? problem : Set(() => AllowedProviders = new(slugs)),
                    () => AllowedProviders = new(null));
            case "requests_per_minute":
                return ReadWhole(value, "requests_per_minute", v => KeyRuleValidation.RequestsPerMinute(v, rules.GatewayRequestsPerMinute)
                    ?? Set(() => RequestsPerMinute = new((int)v)), () => RequestsPerMinute = new(null));
            case "tokens_per_minute":
                return ReadWhole(value, "tokens_per_minute", v => KeyRuleValidation.TokensPerMinute(v)
                    ?? Set(() => TokensPerMinute = new(v)), () => TokensPerMinute = new(null));
            default:
                return null;
        }
    }

    private static string? Set(Action set)
    {
        set();
        return null;
    }

    /// <summary>A JSON array of strings (or null, which clears), handed to <paramref name="check"/>, which sets the field or says what is wrong.</summary>
    private static ApiError? ReadList(JsonElement value, string field, string what, Func<IReadOnlyList<string>, string?> check, Action clear)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            clear();
            return null;
        }
        var shape = $"'{field}' must be an array of {what} (strings), or null for every one.";
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ApiError.BadRequest(shape, field);
        }
        // Counted before reading, so a list of a million entries is refused without a million strings.
        if (value.GetArrayLength() > KeyRuleValidation.MaxPatterns)
        {
            return ApiError.BadRequest($"'{field}' has {value.GetArrayLength()} entries; at most {KeyRuleValidation.MaxPatterns}.", field);
        }
        var entries = new List<string>(value.GetArrayLength());
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest(shape, field);
            }
            entries.Add(entry.GetString()!);
        }
        return check(entries) is { } problem ? ApiError.BadRequest(problem, field) : null;
    }

    /// <summary>A whole JSON number (or null, which clears), handed to <paramref name="check"/>.</summary>
    private static ApiError? ReadWhole(JsonElement value, string field, Func<long, string?> check, Action clear)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            clear();
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            return ApiError.BadRequest($"'{field}' must be a whole number, or null for the gateway's limit.", field);
        }
        return check(number) is { } problem ? ApiError.BadRequest(problem, field) : null;
    }

    private static ApiError? ReadBool(JsonElement value, string field, Action<bool> set)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ApiError.BadRequest($"'{field}' must be true or false.", field);
        }
        set(value.GetBoolean());
        return null;
    }

    /// <summary>Copies every field that was sent onto <paramref name="key"/>.</summary>
    public void ApplyTo(ApiKey key)
    {
        if (Name.HasValue) key.Name = Name.Value!;
        if (Disabled.HasValue) key.Disabled = Disabled.Value;
        if (Limit.HasValue) key.Limit = Limit.Value;
        if (LimitReset.HasValue) key.LimitReset = LimitReset.Value;
        if (IncludeByokInLimit.HasValue) key.IncludeByokInLimit = IncludeByokInLimit.Value;
        if (ExpiresAt.HasValue) key.ExpiresAt = ExpiresAt.Value;
        if (AllowedModels.HasValue) key.AllowedModels = KeyRuleColumn.Write(AllowedModels.Value);
        if (AllowedProviders.HasValue) key.AllowedProviders = KeyRuleColumn.Write(AllowedProviders.Value);
        if (RequestsPerMinute.HasValue) key.RequestsPerMinute = RequestsPerMinute.Value;
        if (TokensPerMinute.HasValue) key.TokensPerMinute = TokensPerMinute.Value;
    }
}

/// <summary>What a key's governance fields are checked against: the gateway's providers and its requests per minute (0: none).</summary>
internal sealed record KeyRuleContext(IReadOnlyList<ProviderInfo> Providers, int GatewayRequestsPerMinute);

/// <summary>A field that may not have been sent at all.</summary>
internal readonly record struct Optional<T>(T Value)
{
    public bool HasValue { get; } = true;
}
