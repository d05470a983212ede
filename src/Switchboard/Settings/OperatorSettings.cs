namespace Switchboard.Settings;

/// <summary>
/// The operator's billing rates as set on the Settings screen: one row (<see cref="SingletonId"/>). A null rate
/// means the configured one (<c>Switchboard:Billing</c>) applies.
/// </summary>
internal sealed class OperatorSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Fraction added to every charge; overrides <c>Switchboard:Billing:Markup</c>.</summary>
    public decimal? Markup { get; set; }

    /// <summary>Fraction of the list price charged for BYOK requests; overrides <c>Switchboard:Billing:ByokFee</c>.</summary>
    public decimal? ByokFee { get; set; }

    public DateTime UpdatedAt { get; set; }
}
