using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Switchboard.Telemetry;

/// <summary>
/// The <c>account</c> label, when the operator asks for it (<see cref="TelemetryOptions.AccountLabels"/>, off by
/// default). Each account is a series of every labelled instrument, so the first
/// <see cref="TelemetryOptions.MaxAccountLabels"/> accounts seen get their id and every later one shares
/// <c>other</c>: a gateway with a million accounts still has a bounded number of series. Ids, never names or emails.
/// </summary>
internal sealed class AccountLabels(IOptions<TelemetryOptions> options)
{
    public const string Other = "other";

    private readonly bool _enabled = options.Value.AccountLabels;
    private readonly int _max = options.Value.MaxAccountLabels;
    private readonly ConcurrentDictionary<long, string> _labels = new();
    private int _admitted;

    /// <summary>The label for <paramref name="accountId"/>, or null when accounts are not labelled.</summary>
    public string? For(long accountId)
    {
        if (!_enabled)
        {
            return null;
        }
        if (_labels.TryGetValue(accountId, out var label))
        {
            return label;
        }
        // No lock: a slot is counted before the label is added. Two first requests of one account may both take a
        // slot, which admits one account fewer; the cap bounds the series, it need not be exact.
        if (Volatile.Read(ref _admitted) >= _max || Interlocked.Increment(ref _admitted) > _max)
        {
            return Other;
        }
        return _labels.GetOrAdd(accountId, static id => id.ToString(CultureInfo.InvariantCulture));
    }
}
