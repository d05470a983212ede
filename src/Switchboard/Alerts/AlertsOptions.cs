namespace Switchboard.Alerts;

/// <summary><c>Switchboard:Alerts</c>: where spend alerts are posted besides each account's own webhook, and how.</summary>
internal sealed class AlertsOptions
{
    /// <summary>The operator's webhook: receives every account's alerts. Unset: only accounts' own webhooks are called.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>
    /// Key of the HMAC-SHA256 sent as <c>X-Switchboard-Signature: sha256=&lt;hex&gt;</c> over the body, so a receiver
    /// can tell a post came from this gateway. Unset: posts are not signed.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>One post's whole exchange. Short: a receiver that hangs must not hold deliveries up.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Posts of one alert before it is recorded as failed.</summary>
    public int WebhookAttempts { get; set; } = 5;

    /// <summary>Wait after the first failed post; it doubles after each further failure (2, 4, 8, 16 s by default).</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Hosts that accounts' webhooks may reach although they are not public: host names (exact), IP addresses and CIDR
    /// ranges. Everything else that is loopback, private, link-local, metadata and the like is refused (see
    /// <see cref="WebhookHostGuard"/>). The operator's own <see cref="WebhookUrl"/> needs no entry: it is trusted.
    /// </summary>
    public List<string> AllowedWebhookHosts { get; set; } = [];

    /// <summary>What is wrong with these settings, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Problems(string section)
    {
        if (WebhookUrl is not null && !WebhookAddress.IsValid(WebhookUrl))
        {
            // The value is not echoed: a webhook URL often carries the receiver's token.
            yield return $"{section}:WebhookUrl is not an absolute http(s) URL of at most {WebhookAddress.MaxLength} characters.";
        }
        var allowListProblems = new List<string>();
        WebhookAllowList.Parse(AllowedWebhookHosts, $"{section}:AllowedWebhookHosts", allowListProblems);
        foreach (var problem in allowListProblems)
        {
            yield return problem;
        }
        if (WebhookSecret is { Length: < 16 })
        {
            yield return $"{section}:WebhookSecret must be at least 16 characters (or unset, to send unsigned posts).";
        }
        if (WebhookTimeout <= TimeSpan.Zero || WebhookTimeout > TimeSpan.FromMinutes(2))
        {
            yield return $"{section}:WebhookTimeout must be a positive duration of at most 2 minutes (got {WebhookTimeout}).";
        }
        if (WebhookAttempts is < 1 or > 20)
        {
            yield return $"{section}:WebhookAttempts must be between 1 and 20 (got {WebhookAttempts}).";
        }
        if (WebhookRetryDelay <= TimeSpan.Zero || WebhookRetryDelay > TimeSpan.FromHours(1))
        {
            yield return $"{section}:WebhookRetryDelay must be a positive duration of at most an hour (got {WebhookRetryDelay}).";
        }
    }
}
