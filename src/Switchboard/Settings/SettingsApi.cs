using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Api;
using Switchboard.Billing;
using Switchboard.Catalog;
using Switchboard.Data;
using Switchboard.Keys;
using Switchboard.Routing;

namespace Switchboard.Settings;

/// <summary>
/// The Settings screen's data. <c>GET /web/settings</c> returns the account's settings and, for the operator, the
/// billing rates; <c>PATCH /web/settings</c> changes the account's (<c>store_prompts</c>, <c>exclude_training_providers</c>,
/// <c>default_model</c>), <c>PUT /web/settings/rates</c> the operator's (<c>markup</c>, <c>byok_fee</c>; null restores
/// the configured rate). Every change takes effect on the next request, on every replica within a second.
/// </summary>
internal static class SettingsApi
{
    /// <summary>Rates are fractions; above 10 (1,000 %) is surely a typo for a percentage.</summary>
    private const decimal MaxRate = 10m;

    public static IEndpointRouteBuilder MapSettings(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/web/settings");
        settings.MapGet("/", GetAsync).RequireKey(KeyRequirement.Management);
        settings.MapPatch("/", UpdateAccountAsync).RequireKey(KeyRequirement.Management);
        settings.MapPut("/rates", UpdateRatesAsync).RequireKey(KeyRequirement.Admin);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext context, SwitchboardStore store, BillingRates rates) =>
        ApiResults.Json(await ViewAsync(context, store, rates));

    private static async Task<IResult> UpdateAccountAsync(
        HttpContext context, SwitchboardStore store, ModelCatalog catalog, AccountProfiles profiles, BillingRates rates, TimeProvider time)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        bool? storePrompts = null, excludeTraining = null;
        Optional<string?> defaultModel = default;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "store_prompts" or "exclude_training_providers" when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                    return ApiResults.Error(ApiError.BadRequest($"'{property.Name}' must be true or false.", property.Name));
                case "store_prompts":
                    storePrompts = value.GetBoolean();
                    break;
                case "exclude_training_providers":
                    excludeTraining = value.GetBoolean();
                    break;
                case "default_model":
                    if (value.ValueKind == JsonValueKind.Null || value is { ValueKind: JsonValueKind.String } && value.GetString() is "")
                    {
                        defaultModel = new(null);
                    }
                    else if (value.ValueKind != JsonValueKind.String || !IsServedModel(catalog, value.GetString()!))
                    {
                        return ApiResults.Error(ApiError.BadRequest(
                            "'default_model' must be a chat model of the catalog (see GET /api/v1/models), or null for none.", "default_model"));
                    }
                    else
                    {
                        defaultModel = new(value.GetString());
                    }
                    break;
                default:
                    return ApiResults.Error(ApiError.BadRequest(
                        $"Unknown setting '{property.Name}': send store_prompts, exclude_training_providers or default_model.", property.Name));
            }
        }

        var accountId = context.CallerKey().AccountId;
        var now = time.GetUtcNow().UtcDateTime;
        await store.WriteAsync(async db =>
        {
            var account = await db.Accounts.FirstAsync(a => a.Id == accountId);
            account.StorePrompts = storePrompts ?? account.StorePrompts;
            account.ExcludeTrainingProviders = excludeTraining ?? account.ExcludeTrainingProviders;
            account.DefaultModel = defaultModel.HasValue ? defaultModel.Value : account.DefaultModel;
            account.SettingsUpdatedAt = now;
            return await db.SaveChangesAsync();
        });
        profiles.Evict(accountId);
        return ApiResults.Json(await ViewAsync(context, store, rates));
    }

    private static async Task<IResult> UpdateRatesAsync(HttpContext context, SwitchboardStore store, BillingRates rates, TimeProvider time)
    {
        var (body, error) = await JsonRequestBody.ReadObjectAsync(context.Request);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }
        var invalidMarkup = ReadRate(body, "markup", out var markup);
        var invalidFee = ReadRate(body, "byok_fee", out var byokFee);
        if ((invalidMarkup ?? invalidFee) is { } invalid)
        {
            return ApiResults.Error(invalid);
        }
        var now = time.GetUtcNow().UtcDateTime;
        await store.WriteAsync(async db =>
        {
            var row = await db.OperatorSettings.FirstOrDefaultAsync(s => s.Id == OperatorSettings.SingletonId);
            if (row is null)
            {
                row = new OperatorSettings();
                db.OperatorSettings.Add(row);
            }
            (row.Markup, row.ByokFee, row.UpdatedAt) = (markup, byokFee, now);
            return await db.SaveChangesAsync();
        });
        rates.Apply(markup, byokFee);
        return ApiResults.Json(await ViewAsync(context, store, rates));
    }

    /// <summary>A fraction from 0 to <see cref="MaxRate"/>, or null (or absent) for the configured rate.</summary>
    private static ApiError? ReadRate(JsonElement body, string name, out decimal? rate)
    {
        rate = null;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var parsed) || parsed < 0m || parsed > MaxRate)
        {
            return ApiError.BadRequest($"'{name}' must be a fraction from 0 to {MaxRate} (0.05 is 5 %), or null for the configured rate.", name);
        }
        rate = parsed;
        return null;
    }

    private static bool IsServedModel(ModelCatalog catalog, string requested) =>
        RequestedModel.TryParse(requested, out var model) && catalog.FindModel(model.Id) is { IsEmbedding: false }; // the default is for chat

    private static async Task<SettingsView> ViewAsync(HttpContext context, SwitchboardStore store, BillingRates rates)
    {
        var caller = context.CallerKey();
        await using var db = store.Read();
        var account = await db.Accounts.Where(a => a.Id == caller.AccountId)
            .Select(a => new AccountSettingsView(a.StorePrompts, a.ExcludeTrainingProviders, a.DefaultModel))
            .FirstAsync(context.RequestAborted);
        var operatorRates = caller.IsAdminAccount
            ? new OperatorRatesView(rates.Current.Markup, rates.Current.ByokFee, rates.Configured.Markup, rates.Configured.ByokFee)
            : null;
        return new SettingsView(account, operatorRates);
    }
}

internal sealed record SettingsView(AccountSettingsView Account, OperatorRatesView? Rates);

internal sealed record AccountSettingsView(bool StorePrompts, bool ExcludeTrainingProviders, string? DefaultModel);

/// <summary>The rates in force and those configured (<c>Switchboard:Billing</c>), which a null in <c>PUT /web/settings/rates</c> restores.</summary>
internal sealed record OperatorRatesView(decimal Markup, decimal ByokFee, decimal ConfiguredMarkup, decimal ConfiguredByokFee);
