namespace Switchboard.Security;

/// <summary>
/// One element of the data-protection key ring, as the store keeps it: a key, or a revocation. Every replica reads
/// the same rows, so a session or a provider key protected on one is readable on all. Keys are encrypted at rest when
/// a certificate or an encryption key is configured (<see cref="KeyRingEncryption"/>).
/// </summary>
internal sealed class DataProtectionKeyRecord
{
    /// <summary>Longer than any key element data protection writes, encrypted or not (about 4 KB with a certificate).</summary>
    public const int MaxXmlLength = 32_000;

    public long Id { get; set; }

    /// <summary>
    /// Data protection's name for the element (<c>key-{id}</c>, <c>revocation-{id}</c>), unique: what makes an import
    /// of <c>&lt;DataDirectory&gt;/web-keys</c> idempotent, since a file there is named the same way.
    /// </summary>
    public required string Name { get; set; }

    public required string Xml { get; set; }

    public DateTime CreatedAt { get; set; }
}
