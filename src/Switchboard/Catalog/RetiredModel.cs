namespace Switchboard.Catalog;

/// <summary>
/// A model its providers no longer serve. Requests naming it (or one of its old names) are refused with an error
/// that names <see cref="Successor"/>, rather than the "not a valid model ID" a mistyped name gets.
/// </summary>
internal sealed record RetiredModel(string Id, string RetiredOn, string Successor, string? Note)
{
    public string Message(string requested) =>
        $"'{requested}' was retired on {RetiredOn} and is no longer served; use '{Successor}' instead."
        + (Note is null ? "" : $" {Note}");
}
