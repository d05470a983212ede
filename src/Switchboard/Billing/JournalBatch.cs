using Switchboard.Generations;
using Switchboard.Instances;
using Switchboard.Keys;

namespace Switchboard.Billing;

/// <summary>
/// What one journal transaction writes, gathered from the entries queued since the last one. Money is summed per
/// account, key and lease, in the store's lock order (each by id), so replicas writing batches at once lock the rows
/// they share in the same order and never deadlock.
/// </summary>
internal sealed class JournalBatch
{
    public JournalBatch(IEnumerable<JournalEntry> entries)
    {
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case GenerationEntry generation:
                    Generations++;
                    LastSequence = Math.Max(LastSequence, generation.Sequence);
                    Records.Add(generation.Record);
                    if (generation.Settlement is { MovesMoney: true } settlement)
                    {
                        Settlements.Add(settlement);
                    }
                    if (generation.Content is { } content)
                    {
                        Contents.Add(content);
                    }
                    if (generation.Unmark)
                    {
                        Unmarks.Add(generation.Record.Id);
                    }
                    break;
                case LeaseReturnEntry lease:
                    Returns.Add(lease);
                    break;
                case MarkEntry mark:
                    Marks.Add(mark.Marker);
                    break;
            }
        }
    }

    /// <summary>Generation entries in the batch: what its commit takes off the journal's backlog.</summary>
    public int Generations { get; }

    /// <summary>Entries that write something: all but flushes.</summary>
    public int Writes => Generations + Returns.Count + Marks.Count;

    /// <summary>The highest <see cref="GenerationEntry.Sequence"/> in the batch (0 if none).</summary>
    public long LastSequence { get; }

    public List<GenerationRecord> Records { get; } = [];
    public List<SettlementEntry> Settlements { get; private set; } = [];

    /// <summary>The settlements and record costs before <see cref="CapUnleased"/> changed them (null when it has not).</summary>
    private (List<SettlementEntry> Settlements, Dictionary<string, decimal> Costs)? _asSettled;
    public List<GenerationContent> Contents { get; } = [];
    public List<LeaseReturnEntry> Returns { get; } = [];
    public List<InFlightGeneration> Marks { get; } = [];
    public List<string> Unmarks { get; } = [];

    public bool IsEmpty => Records.Count == 0 && Settlements.Count == 0 && Returns.Count == 0 && Marks.Count == 0;

    /// <summary>The ledger lines: a charge per generation that cost something, and what went uncollected.</summary>
    public List<LedgerEntry> LedgerLines()
    {
        var lines = new List<LedgerEntry>(Settlements.Count);
        foreach (var s in Settlements)
        {
            if (s.Charge != 0m)
            {
                lines.Add(Line(s, LedgerEntryKind.Charge, -s.Charge));
            }
            if (s.Uncollected != 0m)
            {
                lines.Add(Line(s, LedgerEntryKind.Uncollected, s.Uncollected));
            }
        }
        return lines;
    }

    /// <summary>
    /// Per account, by id: the charges drawn from <paramref name="owner"/>'s lease (<see cref="AccountMove.Leased"/>),
    /// the charges held under a lease the store no longer has (<see cref="AccountMove.Unleased"/>: this instance was
    /// taken for dead and its leases reclaimed, or <paramref name="owner"/> is null because that just happened), and
    /// what comes off the account's <c>Reserved</c>: the leased charges plus the lease the owner returns.
    /// </summary>
    public SortedDictionary<long, AccountMove> AccountMoves(string? owner)
    {
        var moves = new SortedDictionary<long, AccountMove>();
        foreach (var s in Settlements)
        {
            if (s.Charge != 0m)
            {
                var move = moves.GetValueOrDefault(s.Key.AccountId);
                moves[s.Key.AccountId] = s.LeaseOwner == owner
                    ? move with { Leased = move.Leased + s.Charge, Released = move.Released + s.Charge }
                    : move with { Unleased = move.Unleased + s.Charge };
            }
        }
        foreach (var lease in Returns)
        {
            if (lease.Owner == owner && lease.Pool.ApiKeyId is null)
            {
                var move = moves.GetValueOrDefault(lease.Pool.AccountId);
                moves[lease.Pool.AccountId] = move with { Released = move.Released + lease.Amount };
            }
        }
        return moves;
    }

    /// <summary>
    /// Caps the unleased charges of each account at <paramref name="collectible"/> (what the account had free for
    /// them), in order; what a settlement could not be charged moves to its uncollected amount, and its record's
    /// cost follows. Settlements drawn from a live lease are untouched. <see cref="ResetCaps"/> undoes it.
    /// </summary>
    public void CapUnleased(string? owner, IReadOnlyDictionary<long, decimal> collectible)
    {
        if (collectible.Count == 0)
        {
            return;
        }
        _asSettled ??= (Settlements, Records.ToDictionary(r => r.Id, r => r.Cost, StringComparer.Ordinal));
        var left = new Dictionary<long, decimal>(collectible);
        var records = Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        Settlements = [.. Settlements.Select(s =>
        {
            if (s.LeaseOwner == owner || s.Charge == 0m || !left.TryGetValue(s.Key.AccountId, out var free))
            {
                return s;
            }
            var charged = Math.Min(s.Charge, free);
            left[s.Key.AccountId] = free - charged;
            var shortfall = s.Charge - charged;
            if (records.TryGetValue(s.GenerationId, out var record))
            {
                record.Cost = charged;
            }
            return s with { Charge = charged, LimitSpend = Math.Max(0m, s.LimitSpend - shortfall), Uncollected = s.Uncollected + shortfall };
        })];
    }

    /// <summary>
    /// Back to the charges as settled. A batch whose transaction failed is written again, and the free credit its
    /// caps were drawn from may have changed (or the transaction that read it never committed): each attempt caps afresh.
    /// </summary>
    public void ResetCaps()
    {
        if (_asSettled is not var (settlements, costs))
        {
            return;
        }
        Settlements = settlements;
        foreach (var record in Records)
        {
            record.Cost = costs[record.Id];
        }
        _asSettled = null;
    }

    /// <summary>Per key and limit period, by key then period: its spend, and the part drawn from <paramref name="owner"/>'s lease on it.</summary>
    public SortedDictionary<(long KeyId, DateTime Period), KeySpend> KeySpends(string? owner)
    {
        var sums = new SortedDictionary<(long KeyId, DateTime Period), KeySpend>();
        foreach (var s in Settlements)
        {
            if (s.Charge == 0m && s.LimitSpend == 0m && s.ByokSpend == 0m)
            {
                continue;
            }
            var period = LimitPeriod.Start(s.Key.LimitReset, s.SettledAt);
            var sum = sums.GetValueOrDefault((s.Key.Id, period), new KeySpend(s.Key.AccountId, 0m, 0m, 0m, 0m));
            sums[(s.Key.Id, period)] = sum with
            {
                LimitSpend = sum.LimitSpend + s.LimitSpend,
                Charge = sum.Charge + s.Charge,
                ByokSpend = sum.ByokSpend + s.ByokSpend,
                Leased = sum.Leased + (s.FromKeyLease && s.LeaseOwner == owner ? s.LimitSpend : 0m),
            };
        }
        return sums;
    }

    /// <summary>Per key, by id: the lease <paramref name="owner"/> returns on its limit.</summary>
    public SortedDictionary<long, decimal> KeyReturns(string? owner)
    {
        var returns = new SortedDictionary<long, decimal>();
        foreach (var lease in Returns)
        {
            if (lease.Owner == owner && lease.Pool.ApiKeyId is { } keyId)
            {
                returns[keyId] = returns.GetValueOrDefault(keyId) + lease.Amount;
            }
        }
        return returns;
    }

    /// <summary>
    /// Per lease of <paramref name="owner"/>, in lease id order: what comes off it (charges drawn, amounts returned).
    /// </summary>
    public SortedDictionary<CreditPoolId, decimal> LeaseReductions(string? owner)
    {
        var leases = new SortedDictionary<CreditPoolId, decimal>(CreditPoolId.LeaseIdOrder);
        if (owner is null)
        {
            return leases;
        }
        void Reduce(CreditPoolId pool, decimal amount) => leases[pool] = leases.GetValueOrDefault(pool) + amount;
        foreach (var s in Settlements)
        {
            if (s.LeaseOwner != owner)
            {
                continue;
            }
            if (s.Charge != 0m)
            {
                Reduce(CreditPoolId.ForAccount(s.Key.AccountId), s.Charge);
            }
            if (s.FromKeyLease && s.LimitSpend != 0m)
            {
                Reduce(CreditPoolId.ForKey(s.Key.AccountId, s.Key.Id), s.LimitSpend);
            }
        }
        foreach (var lease in Returns)
        {
            if (lease.Owner == owner)
            {
                Reduce(lease.Pool, lease.Amount);
            }
        }
        return leases;
    }

    private static LedgerEntry Line(SettlementEntry s, LedgerEntryKind kind, decimal amount) => new()
    {
        AccountId = s.Key.AccountId,
        ApiKeyId = s.Key.Id,
        Kind = kind,
        Amount = amount,
        GenerationId = s.GenerationId,
        CreatedAt = s.SettledAt,
    };
}

/// <summary>One account's money within a batch (see <see cref="JournalBatch.AccountMoves"/>).</summary>
internal readonly record struct AccountMove(decimal Leased, decimal Unleased, decimal Released);

/// <summary>One key's spend in one limit period within a batch.</summary>
internal readonly record struct KeySpend(long AccountId, decimal LimitSpend, decimal Charge, decimal ByokSpend, decimal Leased);
