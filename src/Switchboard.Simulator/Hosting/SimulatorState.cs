using System.Text;

namespace Switchboard.Simulator.Hosting;

/// <summary>Per-instance state shared by all endpoints of one simulator.</summary>
internal sealed class SimulatorState : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private long _sequence;

    public SimulatorState(SimulatorOptions options)
    {
        if (options.RecordRequests)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRecordedRequests, nameof(options.MaxRecordedRequests));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.DefaultReplySentences, nameof(options.DefaultReplySentences));
        Options = options;
        Log = new SimulatorRequestLog(Math.Max(1, options.MaxRecordedRequests));
    }

    public SimulatorOptions Options { get; }

    public SimulatorRequestLog Log { get; }

    /// <summary>What each provider's <c>GET /v1/models</c> answers.</summary>
    public OpenAI.SimulatedModelLists ModelLists { get; } = new();

    /// <summary>Cancelled when the host stops, so hanging and paced responses end instead of delaying shutdown.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Monotonic per-instance counter for response ids.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    // CancelAsync: handler continuations must not run inline on the host's stopping thread.
    public void Stop() => _ = _stopping.CancelAsync();

    public SimulatedRequest? Record(HttpRequest request, string provider, byte[] body)
    {
        if (!Options.RecordRequests)
        {
            return null;
        }

        var authorization = request.Headers.Authorization;
        var record = new SimulatedRequest(
            provider,
            request.Path.Value ?? "/",
            authorization.Count == 0 ? null : authorization.ToString(),
            CopyHeaders(request.Headers),
            Encoding.UTF8.GetString(body),
            DateTimeOffset.UtcNow,
            Log)
        {
            Protocol = request.Protocol,
        };
        Log.Add(record);
        return record;
    }

    public void Dispose() => _stopping.Dispose();

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = string.Join(", ", values.ToArray());
        }

        return copy;
    }
}
