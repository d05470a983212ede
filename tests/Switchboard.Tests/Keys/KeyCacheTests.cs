using Microsoft.Extensions.Time.Testing;
using Switchboard.Keys;

namespace Switchboard.Tests.Keys;

/// <summary>
/// The two halves of the key cache, on a fake clock: unknown hashes (bounded, remembered a second, then gone on their
/// own) and known keys (bounded, found without allocating).
/// </summary>
public sealed class KeyCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void An_unknown_hash_is_remembered_for_its_lifetime_and_not_a_moment_longer()
    {
        var unknown = new UnknownKeys(100, Lifetime, _time);
        unknown.Add(Hash(1));

        _time.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.True(unknown.Contains(Hash(1)));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(unknown.Contains(Hash(1)));
    }

    [Fact]
    public void A_flood_of_new_hashes_never_holds_more_than_the_capacity_and_all_are_gone_after_two_lifetimes()
    {
        var unknown = new UnknownKeys(1_000, Lifetime, _time);
        for (var i = 0; i < 100_000; i++)
        {
            unknown.Add(Hash(i));
            if (i % 1_000 == 999)
            {
                Assert.InRange(unknown.Count, 1, 1_000);
                _time.Advance(TimeSpan.FromMilliseconds(100)); // 10,000 new hashes a second
            }
        }
        Assert.InRange(unknown.Count, 1, 1_000);

        _time.Advance(2 * Lifetime);

        Assert.Equal(0, unknown.Count);
    }

    [Fact]
    public void A_hash_that_is_evicted_is_forgotten_at_once()
    {
        var unknown = new UnknownKeys(100, Lifetime, _time);
        unknown.Add(Hash(1));
        _time.Advance(Lifetime / 2);
        unknown.Add(Hash(2));
        _time.Advance(Lifetime * 0.6);
        Assert.True(unknown.Contains(Hash(2))); // in the previous generation now, and still remembered

        unknown.Remove(Hash(2));

        Assert.False(unknown.Contains(Hash(1)));
        Assert.False(unknown.Contains(Hash(2)));
    }

    [Fact]
    public void A_capacity_of_zero_remembers_nothing()
    {
        var unknown = new UnknownKeys(0, Lifetime, _time);

        unknown.Add(Hash(1));

        Assert.False(unknown.Contains(Hash(1)));
        Assert.Equal(0, unknown.Count);
    }

    [Fact]
    public void Known_keys_beyond_the_capacity_drop_a_tenth_and_those_kept_are_still_found()
    {
        var known = new KnownKeys(1_000);
        for (var i = 0; i < 10_000; i++)
        {
            known.Add(Key(i));
            Assert.InRange(known.Count, 1, 1_000);
        }

        var found = Enumerable.Range(0, 10_000).Count(i => known.TryGet(Hash(i), out var key) && key.Id == i);
        Assert.Equal(known.Count, found);
        Assert.InRange(found, 900, 1_000);
    }

    [Fact]
    public void Adding_a_key_again_replaces_it_without_counting_it_twice()
    {
        var known = new KnownKeys(10);

        known.Add(Key(1));
        known.Add(Key(1) with { Disabled = true });

        Assert.Equal(1, known.Count);
        Assert.True(known.TryGet(Hash(1), out var key) && key.Disabled);
        known.Remove(Hash(1));
        known.Remove(Hash(1));
        Assert.Equal(0, known.Count);
    }

    [Fact]
    public void Finding_a_known_key_by_a_span_allocates_nothing()
    {
        var known = new KnownKeys(10);
        known.Add(Key(7));
        Span<char> hash = stackalloc char[64];
        Hash(7).CopyTo(hash);
        known.TryGet(hash, out _); // first call sets up the alternate lookup

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = known.TryGet(hash, out var key);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(found);
        Assert.Equal(7, key!.Id);
        Assert.Equal(0, allocated);
    }

    private static string Hash(int i) => i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    private static CallerKey Key(int i) =>
        new(i, 1, Hash(i), "sk-sb-v1-abc...def", ApiKeyKind.Inference, false, null, null, null, false, false);
}
