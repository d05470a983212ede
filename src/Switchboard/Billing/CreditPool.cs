using System.Globalization;

namespace Switchboard.Billing;

/// <summary>Which budget a pool draws on: an account's balance, or one key's spend limit.</summary>
internal readonly record struct CreditPoolId(long AccountId, long? ApiKeyId)
{
    public static CreditPoolId ForAccount(long accountId) => new(accountId, null);

    public static CreditPoolId ForKey(long accountId, long apiKeyId) => new(accountId, apiKeyId);

    public string LeaseId(string instance) =>
        ApiKeyId is { } key ? $"{instance}/key/{key}" : $"{instance}/account/{AccountId}";

    /// <summary>
    /// Orders one instance's pools as their <see cref="LeaseId"/>s sort (ordinally), which is the order their lease
    /// rows are locked in, without making the ids: accounts before keys, then the id's decimal digits as text.
    /// </summary>
    public static IComparer<CreditPoolId> LeaseIdOrder { get; } = Comparer<CreditPoolId>.Create(static (a, b) =>
    {
        var kinds = (a.ApiKeyId is null ? 0 : 1) - (b.ApiKeyId is null ? 0 : 1);
        if (kinds != 0)
        {
            return kinds;
        }
        Span<char> left = stackalloc char[20];
        Span<char> right = stackalloc char[20];
        (a.ApiKeyId ?? a.AccountId).TryFormat(left, out var leftLength, provider: CultureInfo.InvariantCulture);
        (b.ApiKeyId ?? b.AccountId).TryFormat(right, out var rightLength, provider: CultureInfo.InvariantCulture);
        return left[..leftLength].SequenceCompareTo(right[..rightLength]);
    });
}

/// <summary>
/// This instance's share of one budget, held in memory so that reserving credit for a request is a lock and
/// two subtractions. Its lease is what the store records as leased to this instance once the journal
/// has caught up; requests hold parts of it, and settlements consume it by their charge. Only when a hold does
/// not fit does the book ask the store for more, one request at a time per pool (<see cref="Extending"/>).
/// </summary>
internal sealed class CreditPool(CreditPoolId id, string owner)
{
    private readonly Lock _lock = new();
    private decimal _leased;
    private decimal _held;
    private int _holds;
    private long _lastActivity;

    public CreditPoolId Id { get; } = id;

    /// <summary>The instance identity the lease is held under (a forfeited identity's pools are retired).</summary>
    public string Owner { get; } = owner;

    /// <summary>Taken by whoever extends the lease, so concurrent shortfalls make one store round trip, not many.</summary>
    public SemaphoreSlim Extending { get; } = new(1, 1);

    /// <summary>Set once the pool has been dropped from the book; a request that still holds a reference looks again.</summary>
    public bool Retired { get; private set; }

    /// <summary>Leased and not held by any request in flight. Charges never exceed their holds, so never negative while the pool lives.</summary>
    public decimal Unheld { get { lock (_lock) { return _leased - _held; } } }

    public int Holds { get { lock (_lock) { return _holds; } } }

    /// <summary>Leased, held, and the number of holds, read together (for the lease gauges: at collection time only).</summary>
    public (decimal Leased, decimal Held, int Holds) Read()
    {
        lock (_lock)
        {
            return (_leased, _held, _holds);
        }
    }

    /// <summary>
    /// Holds <paramref name="amount"/> if the lease covers it. A pool with nothing leased asks the store even for a
    /// zero hold, which is how an account whose balance went negative is refused a free request too.
    /// </summary>
    public bool TryHold(decimal amount, long now) => TryHold(amount, now, requireLease: true);

    /// <summary>Like <see cref="TryHold(decimal, long)"/>, right after the store granted what the hold needs.</summary>
    public bool TryHoldGranted(decimal amount, long now) => TryHold(amount, now, requireLease: false);

    /// <summary>Adds a grant; false when the pool was retired meanwhile (the caller gives the grant back).</summary>
    public bool AddLease(decimal granted)
    {
        lock (_lock)
        {
            if (Retired)
            {
                return false;
            }
            _leased += granted;
            return true;
        }
    }

    /// <summary>Its owner's leases are gone from the store: no more holds; the ones in flight settle as usual.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            Retired = true;
            _leased = 0m;
        }
    }

    /// <summary>Ends a hold: the hold is freed and <paramref name="spent"/> consumed from the lease.</summary>
    public void Release(decimal hold, decimal spent, long now)
    {
        lock (_lock)
        {
            _held -= hold;
            _holds--;
            _leased -= spent;
            _lastActivity = now;
        }
    }

    /// <summary>
    /// Gives up the whole lease when no request has used the pool since <paramref name="idleSince"/> and none
    /// holds part of it. With nothing leased either, the pool is retired so the book can forget it.
    /// </summary>
    public bool TryTakeIdle(long idleSince, out decimal amount)
    {
        amount = 0m;
        if (!Extending.Wait(0))
        {
            return false; // an extension is under way: not idle
        }
        try
        {
            lock (_lock)
            {
                if (_holds > 0 || _lastActivity > idleSince)
                {
                    return false;
                }
                (amount, _leased) = (_leased, 0m);
                Retired = true;
                return true;
            }
        }
        finally
        {
            Extending.Release();
        }
    }

    /// <summary>At shutdown: gives up what no request in flight holds; the held part is settled as usual.</summary>
    public decimal TakeUnheld()
    {
        lock (_lock)
        {
            if (Retired)
            {
                return 0m;
            }
            var unheld = _leased - _held;
            _leased = _held;
            return unheld;
        }
    }

    private bool TryHold(decimal amount, long now, bool requireLease)
    {
        lock (_lock)
        {
            if (Retired || (requireLease && _leased <= 0m) || _leased - _held < amount)
            {
                return false;
            }
            _held += amount;
            _holds++;
            _lastActivity = now;
            return true;
        }
    }
}
