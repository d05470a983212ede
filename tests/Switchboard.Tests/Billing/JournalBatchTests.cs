using Switchboard.Billing;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The sums one journal transaction writes. A batch whose transaction fails is written again as it was settled,
/// so what one attempt capped (against free credit read in a transaction that never committed) must not carry over.
/// </summary>
public sealed class JournalBatchTests
{
    private static readonly CallerKey Key = new(7, 3, "hash", "key", ApiKeyKind.Inference, false, null, null, null, false, false);

    [Fact]
    public void Leases_are_reduced_in_the_order_their_ids_sort_which_is_the_order_the_store_locks_them()
    {
        var random = new Random(13);
        long Id() => random.Next(4) switch { 0 => random.Next(1, 10), 1 => random.Next(1, 1000), 2 => random.NextInt64(1, long.MaxValue), _ => 10 };
        var pools = Enumerable.Range(0, 400)
            .Select(i => i % 2 == 0 ? CreditPoolId.ForAccount(Id()) : CreditPoolId.ForKey(Id(), Id()))
            .Distinct()
            .ToList();

        var byComparer = pools.Order(CreditPoolId.LeaseIdOrder).Select(pool => pool.LeaseId("replica-1"));
        var byId = pools.Select(pool => pool.LeaseId("replica-1")).Order(StringComparer.Ordinal);

        Assert.Equal(byId, byComparer);
    }

    [Fact]
    public void Unleased_charges_are_capped_at_the_free_credit_in_order_and_the_rest_is_uncollected()
    {
        var batch = Batch(("gen-a", 0.30m), ("gen-b", 0.50m));

        batch.CapUnleased(owner: null, new Dictionary<long, decimal> { [3] = 0.40m });

        Assert.Equal([0.30m, 0.10m], batch.Settlements.Select(s => s.Charge));
        Assert.Equal([0m, 0.40m], batch.Settlements.Select(s => s.Uncollected));
        Assert.Equal([0.30m, 0.10m], batch.Records.Select(r => r.Cost));
    }

    [Fact]
    public void A_retried_batch_is_capped_from_the_charges_as_settled_not_from_the_failed_attempt()
    {
        var batch = Batch(("gen-a", 0.30m), ("gen-b", 0.50m));
        batch.CapUnleased(owner: null, new Dictionary<long, decimal> { [3] = 0m });

        batch.ResetCaps();
        batch.CapUnleased(owner: null, new Dictionary<long, decimal> { [3] = 1m });

        Assert.Equal([0.30m, 0.50m], batch.Settlements.Select(s => s.Charge));
        Assert.All(batch.Settlements, s => Assert.Equal(0m, s.Uncollected));
        Assert.Equal([0.30m, 0.50m], batch.Records.Select(r => r.Cost));
    }

    [Fact]
    public void Charges_drawn_from_the_live_owners_lease_are_never_capped()
    {
        var batch = Batch(("gen-a", 0.30m));

        batch.CapUnleased(owner: "replica-1", new Dictionary<long, decimal> { [3] = 0m });

        Assert.Equal(0.30m, Assert.Single(batch.Settlements).Charge);
    }

    private static JournalBatch Batch(params (string Id, decimal Charge)[] generations) => new(generations.Select(g => new GenerationEntry(
        new GenerationRecord { Id = g.Id, AccountId = Key.AccountId, ApiKeyId = Key.Id, RequestedModel = "m", Model = "m", Attempts = "[]", Cost = g.Charge },
        new SettlementEntry(g.Id, Key, "replica-1", g.Charge, g.Charge, 0m, 0m, FromKeyLease: false, DateTime.UnixEpoch),
        Content: null,
        Unmark: false)));
}
