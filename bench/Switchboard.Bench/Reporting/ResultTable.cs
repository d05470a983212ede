using System.Globalization;
using System.Text;
using Switchboard.Bench.Targets;

namespace Switchboard.Bench.Reporting;

/// <summary>
/// The summary: every figure with its ratio to the direct path and to nginx for the same scenario and figure,
/// and for latency figures the time added over the direct path. Rendered as an aligned Markdown table.
/// </summary>
internal static class ResultTable
{
    private static readonly string[] Header = ["Scenario", "Target", "Figure", "Value", "vs direct", "vs nginx", "added vs direct"];

    public static string Render(IReadOnlyList<ResultRow> rows)
    {
        var cells = new List<string[]> { Header };
        string? previousScenario = null;
        foreach (var row in rows)
        {
            var direct = Find(rows, row, Target.Direct);
            var nginx = Find(rows, row, Target.Nginx);
            cells.Add(
            [
                row.Scenario == previousScenario ? string.Empty : row.Scenario,
                row.Target,
                row.Figure,
                Format(row.Value, row.Unit),
                Ratio(row.Value, direct),
                Ratio(row.Value, nginx),
                row.IsLatency && direct is not null && row.Target != Target.Direct ? Added(row.Value - direct.Value, row.Unit) : string.Empty,
            ]);
            previousScenario = row.Scenario;
        }

        var widths = Enumerable.Range(0, Header.Length).Select(column => cells.Max(line => line[column].Length)).ToArray();
        var text = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            text.Append('|');
            for (var column = 0; column < widths.Length; column++)
            {
                var cell = cells[i][column];
                var rightAligned = column >= 3;
                text.Append(' ').Append(rightAligned ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column])).Append(" |");
            }

            text.Append('\n');
            if (i == 0)
            {
                text.Append('|');
                for (var column = 0; column < widths.Length; column++)
                {
                    text.Append(column >= 3 ? new string('-', widths[column] + 1) + ":|" : new string('-', widths[column] + 2) + "|");
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static ResultRow? Find(IReadOnlyList<ResultRow> rows, ResultRow like, string target) =>
        rows.FirstOrDefault(row => row.Scenario == like.Scenario && row.Figure == like.Figure && row.Target == target);

    public static string FormatBytes(double bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):#,0.0} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:#,0} B");

    private static string Ratio(double value, ResultRow? reference) =>
        reference is null || reference.Value == 0 || double.IsNaN(value) || double.IsNaN(reference.Value) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{value / reference.Value:0.00}x");

    public static string Format(double value, FigureUnit unit) => double.IsNaN(value) ? "n/a" : unit switch
    {
        FigureUnit.Microseconds => string.Create(CultureInfo.InvariantCulture, $"{value:#,0} µs"),
        FigureUnit.Milliseconds => string.Create(CultureInfo.InvariantCulture, $"{value:0.00} ms"),
        FigureUnit.CpuMicroseconds => string.Create(CultureInfo.InvariantCulture, $"{value:#,0.0} µs CPU"),
        FigureUnit.Bytes => FormatBytes(value),
        FigureUnit.Count => string.Create(CultureInfo.InvariantCulture, $"{value:#,0}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value:#,0} /s"),
    };

    private static string Added(double delta, FigureUnit unit) => unit == FigureUnit.Microseconds
        ? string.Create(CultureInfo.InvariantCulture, $"{delta:+#,0;-#,0;0} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{delta:+0.00;-0.00;0.00} ms");
}
