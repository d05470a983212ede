namespace Switchboard.Web;

/// <summary><c>Switchboard:Web</c>: the web app served at <c>/</c>.</summary>
internal sealed class WebOptions
{
    /// <summary>
    /// Lets the operator sign in with a password instead of a management key; the session acts as the admin account.
    /// Unset (the default): only management keys sign in.
    /// </summary>
    public string? OperatorPassword { get; set; }

    /// <summary>How long a sign-in lasts. Disabling or deleting the key it was made with ends it at once.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
