using System.Globalization;
using System.Text.Json;
using Switchboard.Api;

namespace Switchboard.Keys;

/// <summary>
/// The fields of <c>POST /keys</c> and <c>PATCH /keys/{hash}</c>. Read from a <see cref="JsonElement"/> so a
/// PATCH can tell "not sent" (leave alone) from <c>null</c> (clear the limit, the reset or the expiry).
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

    public static async Task<(KeyFields? Fields, ApiError? Error)> ReadAsync(HttpRequest request, DateTime utcNow)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(request);
        if (error is not null)
        {
            return (null, error);
        }
        var fields = new KeyFields();
        foreach (var property in body.EnumerateObject())
        {
            if (fields.Read(property, utcNow) is { } invalid)
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
                return null; // OpenRouter fields we do not use (workspace_id, creator_user_id) are accepted and ignored.
        }
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
    }
}

/// <summary>A field that may not have been sent at all.</summary>
internal readonly record struct Optional<T>(T Value)
{
    public bool HasValue { get; } = true;
}
