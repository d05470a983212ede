using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Bench.Scenarios;

/// <summary>The figures of one wrk run, parsed from its text report (with <c>--latency</c>).</summary>
internal sealed partial record WrkResult(
    double RequestsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    long Requests,
    long Non2xx,
    long SocketErrors,
    string Output)
{
    public bool HasErrors => Non2xx > 0 || SocketErrors > 0;

    public static WrkResult Parse(string output)
    {
        var rps = RequestsPerSecondPattern().Match(output);
        var requests = RequestsPattern().Match(output);
        if (!rps.Success || !requests.Success)
        {
            throw new BenchFailureException($"could not parse wrk output:\n{output}");
        }

        var non2xx = Non2xxPattern().Match(output);
        var socket = SocketErrorsPattern().Match(output);
        var socketErrors = socket.Success
            ? Enumerable.Range(1, 4).Sum(group => long.Parse(socket.Groups[group].Value, CultureInfo.InvariantCulture))
            : 0;

        return new WrkResult(
            Number(rps.Groups[1].Value),
            Percentile(output, "50"),
            Percentile(output, "90"),
            Percentile(output, "99"),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors,
            output);
    }

    // "     99%   17.27ms" in the "Latency Distribution" block.
    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new BenchFailureException($"no {percent}% latency in wrk output (was --latency passed?):\n{output}");
        }

        var value = Number(match.Groups[1].Value);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60_000,
        };
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecondPattern();

    [GeneratedRegex(@"^\s+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
