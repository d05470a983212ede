namespace Switchboard.Alerts;

/// <summary>What a webhook URL may be, for the operator's setting and an account's alike.</summary>
internal static class WebhookAddress
{
    /// <summary>The column's size (<c>accounts.AlertWebhookUrl</c>).</summary>
    public const int MaxLength = 1000;

    /// <summary>
    /// An absolute http or https URL. The scheme test also rules out what <see cref="Uri"/> takes as absolute on
    /// Unix without one: a bare path such as <c>/hook</c> parses as a <c>file:</c> URI there.
    /// </summary>
    public static bool IsValid(string url) =>
        url.Length <= MaxLength
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
