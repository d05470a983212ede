using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Data;
using Switchboard.Keys;
using Switchboard.Providers;
using Switchboard.Security;

namespace Switchboard.Settings;

/// <summary>
/// An account's own provider keys (bring your own key): <c>GET /web/provider-keys</c> lists them masked,
/// <c>PUT /web/provider-keys/{provider}</c> with <c>{"key": "…"}</c> sets one, <c>DELETE</c> removes it. The secret is
/// encrypted before it is stored and never returned. From the next request on, the account's requests to that
/// provider carry its key and pay credits only the BYOK fee.
/// </summary>
internal static class ProviderKeysApi
{
    private const int MaxKeyLength = 1000;

    public static IEndpointRouteBuilder MapProviderKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/web/provider-keys").RequireKey(KeyRequirement.Management).CarriesSecrets();
        keys.MapGet("/", ListAsync);
        keys.MapPut("/{provider}", SetAsync);
        keys.MapDelete("/{provider}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, SwitchboardStore store, ProviderRegistry providers, ProviderKeyProtector protector)
    {
        await using var db = store.Read();
        var rows = await db.AccountProviderKeys.Where(k => k.AccountId == context.CallerKey().AccountId)
            .OrderBy(k => k.ProviderSlug).AsNoTracking().ToListAsync(context.RequestAborted);
        return ApiResults.Json(new ProviderKeyList([.. rows.Select(k => View(k, providers, protector))]));
    }

    private static async Task<IResult> SetAsync(
        HttpContext context, string provider, SwitchboardStore store, ProviderRegistry providers, ProviderKeyProtector protector,
        AccountProfiles profiles, TimeProvider time)
    {
        if (providers.Find(provider) is not { } runtime)
        {
            return ApiResults.Error(ApiError.NotFound($"No provider '{provider}' in the catalog (see GET /api/v1/providers)."));
        }
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var secret = body.TryGetProperty("key", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(secret) || secret.Length > MaxKeyLength || secret.Any(char.IsWhiteSpace) || secret.Any(char.IsControl))
        {
            return ApiResults.Error(ApiError.BadRequest($"'key' must be the provider's API key: one line of at most {MaxKeyLength} characters, without spaces.", "key"));
        }

        var accountId = context.CallerKey().AccountId;
        var slug = runtime.Info.Slug;
        var now = time.GetUtcNow().UtcDateTime;
        var row = await store.WriteAsync(async db =>
        {
            var key = await db.AccountProviderKeys.FirstOrDefaultAsync(k => k.AccountId == accountId && k.ProviderSlug == slug);
            if (key is null)
            {
                key = new AccountProviderKey { AccountId = accountId, ProviderSlug = slug, Ciphertext = "", Masked = "", CreatedAt = now };
                db.AccountProviderKeys.Add(key);
            }
            key.Ciphertext = protector.Protect(secret);
            key.Masked = new ProviderCredential(secret).Masked;
            key.UpdatedAt = now;
            await TouchAccountAsync(db, accountId, now);
            await db.SaveChangesAsync();
            return key;
        });
        profiles.Evict(accountId);
        return ApiResults.Json(new ProviderKeyEnvelope(View(row, providers, protector)));
    }

    private static async Task<IResult> DeleteAsync(
        HttpContext context, string provider, SwitchboardStore store, ProviderRegistry providers, AccountProfiles profiles, TimeProvider time)
    {
        var slug = providers.Find(provider)?.Info.Slug ?? provider;
        var accountId = context.CallerKey().AccountId;
        var now = time.GetUtcNow().UtcDateTime;
        var deleted = await store.WriteAsync(async db =>
        {
            var count = await db.AccountProviderKeys.Where(k => k.AccountId == accountId && k.ProviderSlug == slug).ExecuteDeleteAsync();
            if (count > 0)
            {
                await TouchAccountAsync(db, accountId, now);
            }
            return count;
        });
        profiles.Evict(accountId);
        return deleted > 0
            ? ApiResults.Json(new DeletedEnvelope(true))
            : ApiResults.Error(ApiError.NotFound($"Your account has no key for '{provider}'."));
    }

    /// <summary>Other replicas drop their cached profile of the account when they see this move.</summary>
    private static Task<int> TouchAccountAsync(SwitchboardDbContext db, long accountId, DateTime now) =>
        db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.SettingsUpdatedAt, now));

    private static ProviderKeyView View(AccountProviderKey key, ProviderRegistry providers, ProviderKeyProtector protector) => new(
        key.ProviderSlug,
        providers.Find(key.ProviderSlug)?.Info.Name ?? key.ProviderSlug,
        key.Masked,
        Readable: protector.TryUnprotect(key.Ciphertext) is not null,
        key.CreatedAt,
        key.UpdatedAt);
}

internal sealed record ProviderKeyList(IReadOnlyList<ProviderKeyView> Data);

internal sealed record ProviderKeyEnvelope(ProviderKeyView Data);

/// <summary>
/// One of the account's provider keys, masked. <c>Readable</c> is false when the key was stored under a data-protection
/// key this replica cannot decrypt: the account's requests then do not use that provider on this replica (never the
/// gateway's credential in its place) until the replica's key ring settings are fixed or the key is entered again.
/// </summary>
internal sealed record ProviderKeyView(string Provider, string ProviderName, string Masked, bool Readable, DateTime CreatedAt, DateTime UpdatedAt);
