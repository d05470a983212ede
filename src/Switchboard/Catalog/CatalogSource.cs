namespace Switchboard.Catalog;

/// <summary>Where a catalog entry's facts and prices come from, and the date they reflect.</summary>
internal sealed record CatalogSource(string Name, string Url, string Retrieved, string? Notes);
