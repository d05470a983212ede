using System.Globalization;

namespace Switchboard.Bench.Reporting;

/// <summary>
/// The raw results of one run (<c>bench/results/&lt;timestamp&gt;.txt</c>): everything printed on the console,
/// plus the full wrk output and per-round figures that are kept off the console.
/// </summary>
internal sealed class ResultsFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    private ResultsFile(string path, StreamWriter writer)
    {
        Path = path;
        _writer = writer;
    }

    public string Path { get; }

    public static ResultsFile Create(string directory)
    {
        Directory.CreateDirectory(directory);
        var name = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".txt";
        var path = System.IO.Path.Combine(directory, name);
        return new ResultsFile(path, new StreamWriter(path) { AutoFlush = true });
    }

    /// <summary>Console and file.</summary>
    public void Line(string text = "")
    {
        Console.WriteLine(text);
        Raw(text);
    }

    /// <summary>File only: bulky detail such as wrk's full report.</summary>
    public void Raw(string text)
    {
        lock (_gate)
        {
            _writer.WriteLine(text);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
