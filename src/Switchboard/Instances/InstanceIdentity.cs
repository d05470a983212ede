using System.Security.Cryptography;
using Switchboard.Billing;

namespace Switchboard.Instances;

/// <summary>
/// This process's identity in the store: <c>{InstanceName}-{12 random hex}</c>, new at every start, so no two
/// processes (replicas left with the same name, a restart racing its predecessor) can ever share one. Leases and
/// in-flight markers are owned by it. Should a replica ever find this process dead (its heartbeat stalled past
/// <see cref="BillingOptions.OwnerTimeout"/>, say a frozen VM) and reclaim what it owned, the process learns so at
/// its next write (<see cref="Forfeit"/>), gives up its leases in memory and carries on under a fresh identity.
/// </summary>
internal sealed class InstanceIdentity(BillingOptions options)
{
    private readonly Lock _lock = new();
    private string _current = NewId(options.InstanceName);

    /// <summary>Raised with the forfeited identity, once per forfeit: the credit book drops every lease it held under it.</summary>
    public event Action<string>? Forfeited;

    public string Name => options.InstanceName;

    public string Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>The store no longer knows <paramref name="identity"/>: take a fresh one (once, however many writers noticed).</summary>
    public void Forfeit(string identity)
    {
        lock (_lock)
        {
            if (_current != identity)
            {
                return;
            }
            _current = NewId(options.InstanceName);
        }
        Forfeited?.Invoke(identity);
    }

    private static string NewId(string name) => $"{name}-{RandomNumberGenerator.GetHexString(12, lowercase: true)}";
}
