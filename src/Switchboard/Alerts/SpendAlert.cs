namespace Switchboard.Alerts;

/// <summary>
/// A spend threshold crossed: a key passed a share of its limit in one limit period, or an account spent a share
/// of the credit it had after its last top-up. Each (subject, threshold, period) fires once, across replicas:
/// the unique index decides which one records it and calls the webhook.
/// </summary>
internal sealed class SpendAlert
{
    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>The key for <see cref="SpendAlertKind.KeyLimit"/>; null for a balance alert.</summary>
    public long? ApiKeyId { get; set; }
    public SpendAlertKind Kind { get; set; }

    /// <summary><c>key:&lt;id&gt;</c> or <c>balance</c>: what the unique index tells apart.</summary>
    public required string Subject { get; set; }

    /// <summary>Percent, e.g. 80.</summary>
    public int Threshold { get; set; }

    /// <summary>Start of the key's limit period, or when the balance was last topped up.</summary>
    public DateTime PeriodStart { get; set; }

    /// <summary>USD spent when the alert fired, and the amount it is a share of.</summary>
    public decimal Spent { get; set; }
    public decimal Of { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Null when no webhook is configured; otherwise pending, delivered or failed.</summary>
    public WebhookDelivery? Webhook { get; set; }
    public int WebhookAttempts { get; set; }
    public string? WebhookError { get; set; }
}

internal enum SpendAlertKind
{
    KeyLimit,
    Balance,
}

internal enum WebhookDelivery
{
    Pending,
    Delivered,
    Failed,
}
