namespace Switchboard.Web;

/// <summary>
/// A signed-in web session, as the store knows it: the session exists while its row does. Signing out deletes the
/// row, so the cookie stops working on every replica at once, however long it had left.
/// </summary>
internal sealed class WebSessionRecord
{
    /// <summary>Lower-case hex SHA-256 of the session's random id; the id itself is only in the (encrypted) cookie.</summary>
    public required string Id { get; set; }

    /// <summary>The hash of the management key the session acts as.</summary>
    public required string KeyHash { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
