namespace Switchboard.Billing;

/// <summary>
/// The markup and BYOK fee in force: the configured ones (<c>Switchboard:Billing</c>) until the operator sets
/// others on the Settings screen, which every replica picks up from the store (<see cref="Settings.SettingsChangeWatcher"/>).
/// Read once per priced request, so it is one volatile reference to an immutable pair.
/// </summary>
internal sealed class BillingRates(BillingOptions options)
{
    private volatile Rates _current = new(options.Markup, options.ByokFee);

    public Rates Current => _current;

    public Rates Configured { get; } = new(options.Markup, options.ByokFee);

    /// <summary>The operator's rates where set, the configured ones otherwise.</summary>
    public void Apply(decimal? markup, decimal? byokFee) =>
        _current = new(markup ?? Configured.Markup, byokFee ?? Configured.ByokFee);
}

/// <summary>Fractions of the list price: <see cref="Markup"/> added to every charge, <see cref="ByokFee"/> charged instead on BYOK requests.</summary>
internal sealed record Rates(decimal Markup, decimal ByokFee);
