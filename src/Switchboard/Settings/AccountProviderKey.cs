namespace Switchboard.Settings;

/// <summary>
/// An account's own credential for one provider (bring your own key). The secret is stored only encrypted
/// (ASP.NET Core data protection); <see cref="Masked"/> is what screens show. The account's requests to that
/// provider use it and pay credits only the BYOK fee.
/// </summary>
internal sealed class AccountProviderKey
{
    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>The catalog slug of the provider, e.g. <c>openai</c>.</summary>
    public required string ProviderSlug { get; set; }

    /// <summary>The secret, encrypted; readable only with this deployment's data-protection key ring.</summary>
    public required string Ciphertext { get; set; }

    public required string Masked { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
