using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.RateLimiting;
using Switchboard.Security;

namespace Switchboard.Keys;

/// <summary>
/// OpenRouter's key API: <c>GET /key</c> for the calling key, and <c>/keys</c> to manage an account's keys with
/// a management key. Keys are addressed by <c>hash</c>; the secret appears once, in the creation response.
/// </summary>
internal static class KeysApi
{
    private const int PageSize = 100;

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        api.MapGet("/key", CurrentKeyAsync).RequireKey(KeyRequirement.Any).AfterJournalFlush();
        api.MapGet("/auth/key", CurrentKeyAsync).RequireKey(KeyRequirement.Any).AfterJournalFlush(); // legacy path many clients still call

        var keys = api.MapGroup("/keys").RequireKey(KeyRequirement.Management);
        keys.MapGet("/", ListAsync).AfterJournalFlush();
        keys.MapPost("/", CreateAsync).CarriesSecrets();
        keys.MapGet("/{hash}", GetAsync).AfterJournalFlush();
        keys.MapPatch("/{hash}", UpdateAsync);
        keys.MapDelete("/{hash}", DeleteAsync);
        return api;
    }

    private static async Task<IResult> CurrentKeyAsync(
        HttpContext context, ApiKeyStore keys, ApiKeyViews views, CreditLedger ledger, FreeModelLimiter freeModels, RateLimitOptions rateLimits)
    {
        var caller = context.CallerKey();
        var key = await keys.FindAsync(caller.AccountId, caller.Hash, context.RequestAborted);
        if (key is null)
        {
            return NotFound();
        }
        var view = await views.CreateAsync(key, context.RequestAborted);
        var (freeLimit, freeUsed) = await freeModels.TodayAsync(caller.AccountId, await ledger.TotalPurchasedAsync(caller.AccountId, context.RequestAborted), context.RequestAborted);
        return ApiResults.Json(new ApiKeyEnvelope(view with
        {
            // A self-hosted gateway has no data regions to restrict a key to: OpenRouter's empty list.
            AllowedDataRegions = [],
            FreeModelDailyRequests = new FreeModelDailyRequestsView(freeLimit, freeUsed, Math.Max(0, freeLimit - freeUsed)),
            RateLimit = new RateLimitView(
                caller.Kind == ApiKeyKind.Inference && caller.RequestsPerMinuteUnder(rateLimits.RequestsPerMinute) is > 0 and var rpm ? rpm : -1,
                "1m",
                "This field is deprecated and safe to ignore."),
        }));
    }

    private static async Task<IResult> ListAsync(HttpContext context, ApiKeyStore keys, ApiKeyViews views, bool? include_disabled, int? offset)
    {
        if (offset is < 0)
        {
            return ApiResults.Error(ApiError.BadRequest("'offset' must be zero or more.", "offset"));
        }
        var caller = context.CallerKey();
        var page = await keys.ListAsync(caller.AccountId, include_disabled ?? false, offset ?? 0, PageSize, context.RequestAborted);
        return ApiResults.Json(new ApiKeyListEnvelope(await views.CreateAsync(page, context.RequestAborted)));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ApiKeyStore keys, ApiKeyViews views, ModelCatalog catalog, RateLimitOptions rateLimits, TimeProvider time)
    {
        var (fields, error) = await KeyFields.ReadAsync(context.Request, time.GetUtcNow().UtcDateTime, Rules(catalog, rateLimits));
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        if (!fields!.Name.HasValue)
        {
            return ApiResults.Error(ApiError.BadRequest("'name' is required.", "name"));
        }
        var kind = fields.IsManagementKey is { HasValue: true, Value: true } ? ApiKeyKind.Management : ApiKeyKind.Inference;
        if (kind == ApiKeyKind.Management && fields.SetsGovernance)
        {
            return ApiResults.Error(ManagementGovernance());
        }
        var spec = new ApiKeySpec(
            fields.Name.Value!,
            kind,
            fields.Limit.HasValue ? fields.Limit.Value : null,
            fields.LimitReset.HasValue ? fields.LimitReset.Value : null,
            fields.IncludeByokInLimit.HasValue && fields.IncludeByokInLimit.Value,
            fields.ExpiresAt.HasValue ? fields.ExpiresAt.Value : null,
            fields.AllowedModels.HasValue ? fields.AllowedModels.Value : null,
            fields.AllowedProviders.HasValue ? fields.AllowedProviders.Value : null,
            fields.RequestsPerMinute.HasValue ? fields.RequestsPerMinute.Value : null,
            fields.TokensPerMinute.HasValue ? fields.TokensPerMinute.Value : null);
        var (key, secret) = await keys.CreateAsync(context.CallerKey().AccountId, spec, cancellationToken: context.RequestAborted);
        return ApiResults.Json(new CreatedApiKeyEnvelope(await views.CreateAsync(key, context.RequestAborted), secret), StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext context, ApiKeyStore keys, ApiKeyViews views, string hash)
    {
        var key = await keys.FindAsync(context.CallerKey().AccountId, hash, context.RequestAborted);
        return key is null ? NotFound() : ApiResults.Json(new ApiKeyEnvelope(await views.CreateAsync(key, context.RequestAborted)));
    }

    private static async Task<IResult> UpdateAsync(
        HttpContext context, ApiKeyStore keys, ApiKeyViews views, ModelCatalog catalog, RateLimitOptions rateLimits, TimeProvider time, string hash)
    {
        var (fields, error) = await KeyFields.ReadAsync(context.Request, time.GetUtcNow().UtcDateTime, Rules(catalog, rateLimits));
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var accountId = context.CallerKey().AccountId;
        if (fields!.SetsGovernance && await keys.FindAsync(accountId, hash, context.RequestAborted) is { Kind: ApiKeyKind.Management })
        {
            return ApiResults.Error(ManagementGovernance());
        }
        // A change to the rules moves the key's UpdatedAt like any other, so every replica's cache drops it (ApiKeyChangeWatcher).
        var key = await keys.UpdateAsync(accountId, hash, fields.ApplyTo, context.RequestAborted);
        return key is null ? NotFound() : ApiResults.Json(new ApiKeyEnvelope(await views.CreateAsync(key, context.RequestAborted)));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, ApiKeyStore keys, string hash) =>
        await keys.DeleteAsync(context.CallerKey().AccountId, hash, context.RequestAborted)
            ? ApiResults.Json(new DeletedEnvelope(true))
            : NotFound();

    private static KeyRuleContext Rules(ModelCatalog catalog, RateLimitOptions rateLimits) => new(catalog.Providers, rateLimits.RequestsPerMinute);

    private static ApiError ManagementGovernance() => ApiError.BadRequest(
        "A management key (is_management_key) calls no models: allowed_models, allowed_providers, requests_per_minute and tokens_per_minute apply to inference keys only.",
        "is_management_key");

    private static IResult NotFound() => ApiResults.Error(ApiError.NotFound("No key with this hash in your account."));
}
