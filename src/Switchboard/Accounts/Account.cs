namespace Switchboard.Accounts;

/// <summary>
/// A tenant: owns a prepaid credit balance and API keys. <see cref="Balance"/> is the sum of the account's ledger
/// entries, kept on the row (in the same transaction as each entry) so a reservation can test it atomically.
/// </summary>
internal sealed class Account
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The operator's account: its management keys may create accounts and add credits.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>USD. Always equals the sum of the account's ledger entries.</summary>
    public decimal Balance { get; set; }

    /// <summary>USD held by open reservations. Spendable credit is <c>Balance - Reserved</c>.</summary>
    public decimal Reserved { get; set; }

    /// <summary>
    /// The lowest balance any charge has left, when below zero (else 0). Charges never exceed their holds, and holds
    /// never exceed the balance, so this stays 0 unless the operator took credit away while it was leased; the
    /// audit reports any account where it did not.
    /// </summary>
    public decimal LowestBalance { get; set; }

    /// <summary>USD bought over the account's life (top-ups), which lifts the free-model daily limit.</summary>
    public decimal TotalPurchased { get; set; }

    public DateTime CreatedAt { get; set; }

    // :: Settings the account's members change on the Settings screen (see Settings/AccountSettingsApi).

    /// <summary>Keep the prompt and completion text of this account's requests (<c>generation_contents</c>). Off by default.</summary>
    public bool StorePrompts { get; set; }

    /// <summary>Route only to providers that neither retain nor train on prompts, as if every request said <c>data_collection: "deny"</c>.</summary>
    public bool ExcludeTrainingProviders { get; set; }

    /// <summary>The model a request without <c>model</c> gets.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Percentages of a key's limit, or of the credit since the last top-up, that raise an alert: e.g. <c>50,80,100</c>.</summary>
    public string AlertThresholds { get; set; } = "50,80,100";

    /// <summary>Where alerts are posted as JSON, besides showing in the app.</summary>
    public string? AlertWebhookUrl { get; set; }

    /// <summary>The balance just after the last top-up: balance alerts measure spend against it.</summary>
    public decimal CreditBaseline { get; set; }

    /// <summary>When <see cref="CreditBaseline"/> was set; balance alerts re-arm from then.</summary>
    public DateTime? CreditBaselineAt { get; set; }

    /// <summary>Moves on every settings change (and BYOK key change) a replica's cache must see.</summary>
    public DateTime SettingsUpdatedAt { get; set; }
}
