namespace Switchboard.Catalog;

/// <summary>
/// What a provider does with prompts under its API terms: whether it trains on them and how long it keeps them.
/// An endpoint may differ from its provider (a free endpoint that trains, say).
/// </summary>
internal sealed record DataPolicy(bool Training, bool RetainsPrompts, int? RetentionDays);
