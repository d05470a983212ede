namespace Switchboard.Accounts;

/// <summary><c>Switchboard:Admin</c>: how the first start sets up the operator's account.</summary>
internal sealed class AdminOptions
{
    /// <summary>
    /// The admin account's first management key, for deployments that provision secrets ahead of time. It must
    /// have the <c>sk-sb-v1-</c> format; only its hash is stored. When unset, a key is generated and printed once.
    /// </summary>
    public string? InitialManagementKey { get; set; }

    /// <summary>USD credited to the admin account when it is created (top-up entry in the ledger).</summary>
    public decimal InitialCredits { get; set; }
}
