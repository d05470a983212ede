namespace Switchboard.Routing;

/// <summary>
/// A key's list of model patterns or provider slugs as one column: comma-separated, which is lossless because
/// <see cref="Keys.KeyRuleValidation"/> admits neither commas nor whitespace in an entry; null is "every".
/// </summary>
internal static class KeyRuleColumn
{
    public static string? Write(IReadOnlyList<string>? entries) => entries is null ? null : string.Join(',', entries);

    public static IReadOnlyList<string>? Read(string? column) => column is null ? null : column.Split(',');
}
