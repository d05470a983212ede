namespace Switchboard.Catalog;

/// <summary>
/// A model its provider has announced it will retire: still served, with the note, the retirement date and the
/// successor shown in the catalog (OpenRouter's <c>expiration_date</c>) so users can move before it goes.
/// </summary>
internal sealed record ModelDeprecation(string Note, string? Announced, string? RetiresOn, string? Successor);
