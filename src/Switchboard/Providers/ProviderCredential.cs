namespace Switchboard.Providers;

/// <summary>
/// A provider secret. <see cref="ToString"/> never shows it, so a credential that ends up in a log message,
/// an exception or a debugger display reveals nothing; only the adapter that signs requests calls <see cref="Reveal"/>.
/// </summary>
internal sealed class ProviderCredential(string secret)
{
    public string Reveal() => secret;

    /// <summary>The <c>Authorization</c> header value for bearer-token APIs, built once rather than per request.</summary>
    public string BearerAuthorization => field ??= "Bearer " + secret;

    /// <summary>
    /// Enough to tell two credentials apart on the operator's screen, never enough to use: the last four characters of
    /// a long secret, nothing of a short one.
    /// </summary>
    public string Masked => secret.Length >= 16 ? $"…{secret[^4..]}" : "set";

    public override string ToString() => "[redacted]";
}
