namespace Switchboard.Simulator.Hosting;

/// <summary>Arguments of the standalone process: <c>--urls</c>, <c>--h2c-urls</c>, <c>--no-record</c>; the rest is configuration.</summary>
internal sealed record SimulatorCommandLine(IReadOnlyList<string> Urls, SimulatorOptions Options, string[] ConfigurationArgs, IReadOnlyList<string> Http2Urls)
{
    public const string DefaultUrl = "http://127.0.0.1:5099";

    public static SimulatorCommandLine Parse(string[] args)
    {
        var urls = new List<string>();
        var http2Urls = new List<string>();
        var record = true;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--no-record")
            {
                record = false;
            }
            else if (arg == "--urls" && i + 1 < args.Length)
            {
                urls.AddRange(SplitUrls(args[++i]));
            }
            else if (arg.StartsWith("--urls=", StringComparison.Ordinal))
            {
                urls.AddRange(SplitUrls(arg["--urls=".Length..]));
            }
            else if (arg == "--h2c-urls" && i + 1 < args.Length)
            {
                http2Urls.AddRange(SplitUrls(args[++i]));
            }
            else
            {
                rest.Add(arg);
            }
        }

        return new SimulatorCommandLine(
            urls.Count > 0 ? urls : [DefaultUrl],
            new SimulatorOptions { RecordRequests = record },
            [.. rest],
            http2Urls);
    }

    // Same separator ASP.NET Core uses for its own --urls option.
    private static string[] SplitUrls(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
