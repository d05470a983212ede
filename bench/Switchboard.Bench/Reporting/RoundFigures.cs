namespace Switchboard.Bench.Reporting;

/// <summary>
/// The figures of one scenario, one value per target per round. The summary reports the median over rounds,
/// so one round disturbed by something else on the machine does not decide the result.
/// </summary>
internal sealed class RoundFigures(string scenario, IEnumerable<string> targets)
{
    private readonly List<string> _targets = [.. targets];
    private readonly List<(string Name, FigureUnit Unit)> _figures = [];
    private readonly Dictionary<(string Figure, string Target), List<double>> _values = [];

    public void Add(string target, string figure, double value, FigureUnit unit)
    {
        if (!_figures.Exists(f => f.Name == figure))
        {
            _figures.Add((figure, unit));
        }

        if (!_values.TryGetValue((figure, target), out var values))
        {
            _values[(figure, target)] = values = [];
        }

        values.Add(value);
    }

    /// <summary>Figure by figure, then target by target in the order the targets were given.</summary>
    public IReadOnlyList<ResultRow> Medians() =>
    [
        .. from figure in _figures
           from target in _targets
           where _values.ContainsKey((figure.Name, target))
           select new ResultRow(scenario, target, figure.Name, Percentiles.Median(_values[(figure.Name, target)]), figure.Unit),
    ];
}
