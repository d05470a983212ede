using Switchboard.Chat;

namespace Switchboard.Tests.Chat;

public sealed class GenerationIdTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_has_openrouters_shape_with_the_creation_second()
    {
        var at = Start.AddTicks(1_234_567);

        var id = GenerationId.New(at);

        Assert.Matches(@"^gen-\d+-[A-Za-z0-9]{20}$", id);
        Assert.StartsWith($"gen-{Start.ToUnixTimeSeconds()}-123456", id, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_sort_in_the_order_they_were_made_down_to_the_microsecond_and_across_seconds()
    {
        // The store's b-trees compare ids as text: ordinal on SQLite, the database's collation on PostgreSQL. Digits
        // order the same under any collation, so the ordered part is digits only.
        TimeSpan[] offsets = [TimeSpan.Zero, TimeSpan.FromTicks(10), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(999.999), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(61)];
        for (var round = 0; round < 200; round++)
        {
            var ids = offsets.Select(offset => GenerationId.New(Start + offset)).ToList();

            Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Ids_made_in_the_same_microsecond_are_distinct()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => GenerationId.New(Start)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(100_000, ids.Count);
    }
}
