using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Api;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Requests;

namespace Switchboard.Infrastructure;

/// <summary>
/// Source-generated serialisation for everything the gateway reads or writes as typed objects (the catalog
/// file, the catalog API, error bodies). The proxy path itself reads and writes bytes and never comes here
/// except to write an error.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CatalogFile))]
[JsonSerializable(typeof(RetiredModelList))]
[JsonSerializable(typeof(Catalog.Import.OpenRouterExport))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelResponse))]
[JsonSerializable(typeof(ModelEndpointsResponse))]
[JsonSerializable(typeof(ProviderList))]
[JsonSerializable(typeof(ModelCount))]
[JsonSerializable(typeof(OpenRouterMetadata))]
[JsonSerializable(typeof(IReadOnlyList<AttemptSummary>))]
[JsonSerializable(typeof(Keys.ApiKeyEnvelope))]
[JsonSerializable(typeof(Keys.ApiKeyListEnvelope))]
[JsonSerializable(typeof(Keys.CreatedApiKeyEnvelope))]
[JsonSerializable(typeof(Keys.DeletedEnvelope))]
[JsonSerializable(typeof(Billing.CreditsEnvelope))]
[JsonSerializable(typeof(Accounts.AccountListEnvelope))]
[JsonSerializable(typeof(Accounts.CreatedAccountEnvelope))]
[JsonSerializable(typeof(Accounts.CreditEntryEnvelope))]
[JsonSerializable(typeof(Accounts.LedgerAuditEnvelope))]
[JsonSerializable(typeof(Accounts.RuntimeView))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Switchboard.Lifecycle.ReadinessReport))]
[JsonSerializable(typeof(Generations.GenerationEnvelope))]
[JsonSerializable(typeof(Generations.ActivityEnvelope))]
[JsonSerializable(typeof(Web.WebSessionEnvelope))]
[JsonSerializable(typeof(Web.WebCatalog))]
[JsonSerializable(typeof(Web.WebProviderHealthList))]
[JsonSerializable(typeof(Compare.PairTallyList))]
[JsonSerializable(typeof(Web.ActivityChart))]
[JsonSerializable(typeof(Web.GenerationPage))]
[JsonSerializable(typeof(Web.LedgerPage))]
[JsonSerializable(typeof(Web.GenerationContentView))]
[JsonSerializable(typeof(Settings.SettingsView))]
[JsonSerializable(typeof(Settings.ProviderKeyList))]
[JsonSerializable(typeof(Settings.ProviderKeyEnvelope))]
[JsonSerializable(typeof(Web.AlertsEnvelope))]
[JsonSerializable(typeof(Web.AlertSettingsEnvelope))]
[JsonSerializable(typeof(Alerts.SpendAlertWebhookBody))]
internal sealed partial class SwitchboardJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context for what the API writes: the same contracts, with only the characters JSON requires escaped, so
    /// "Anthropic's" and "text+image->text" read as written rather than as \u0027 and \u002B.
    /// </summary>
    public static SwitchboardJsonContext Api => RelaxedEscaping.Context;

    // A nested holder, so the context is built on first use, after the generated statics it copies.
    private static class RelaxedEscaping
    {
        public static readonly SwitchboardJsonContext Context =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
