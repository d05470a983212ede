using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Generations;
using Switchboard.Keys;

namespace Switchboard.Tests.Billing;

/// <summary>
/// The settlement log on its own: what it writes reads back as the journal would have written it, and a segment is
/// locked while its entries may still be committed by this process, deleted once they are, and left for replay when
/// they never were. Killed processes and replay through the store: <see cref="CrashRecoveryTests"/>.
/// </summary>
public sealed class SettlementLogTests : IDisposable
{
    private static readonly CallerKey Key = new(7, 3, "hash", "key", ApiKeyKind.Inference, false, null, 25m, LimitReset.Weekly, false, false);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    private string Segments => Path.Combine(_dataDirectory, "switchboard.db.settlements");

    [Fact]
    public void An_entry_reads_back_with_its_record_money_text_and_marker_exactly()
    {
        using var log = Open(ChargeDurability.Log);
        var entry = Entry("gen-1", sequence: 1, charge: 0.000123456789012345678m);

        Assert.True(log.TryAppend(entry));
        log.Close(committed: 0);

        var line = Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(Segments))));
        var back = JsonSerializer.Deserialize(line, SettlementLogJsonContext.Default.LoggedGeneration)!.ToEntry();
        Assert.Equal(JsonSerializer.Serialize(entry.Record, RecordJson), JsonSerializer.Serialize(back.Record, RecordJson));
        Assert.Equal(entry.Settlement!.Charge, back.Settlement!.Charge);
        Assert.Equal(entry.Settlement with { Key = back.Settlement.Key }, back.Settlement);
        Assert.Equal((Key.Id, Key.AccountId, Key.Limit, Key.LimitReset), (back.Settlement.Key.Id, back.Settlement.Key.AccountId, back.Settlement.Key.Limit, back.Settlement.Key.LimitReset));
        Assert.Equal(("the prompt", "the completion"), (back.Content!.Prompt, back.Content.Completion));
        Assert.True(back.Unmark);
    }

    [Fact]
    public void The_hand_written_line_is_byte_for_byte_what_the_serializer_writes_and_reads_back()
    {
        var unlimited = new CallerKey(8, 3, "hash", "key", ApiKeyKind.Inference, false, null, Limit: null, LimitReset: null, false, false);
        var full = Entry("gen-1", sequence: 1, charge: 0.000123456789012345678m);
        var bare = Entry("gen-2", sequence: 2) with { Settlement = null, Content = null, Unmark = false };
        var keyWithoutLimit = Entry("gen-3", sequence: 3) with { Settlement = full.Settlement! with { Key = unlimited } };

        foreach (var entry in new[] { full, bare, keyWithoutLimit })
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                LoggedGeneration.Write(json, entry);
            }
            var expected = JsonSerializer.Serialize(LoggedGeneration.From(entry), SettlementLogJsonContext.Default.LoggedGeneration);
            Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    [Fact]
    public async Task Appends_made_at_once_from_many_threads_each_land_exactly_once()
    {
        using var log = Open(ChargeDurability.Log);
        var sequence = 0L;
        using var start = new Barrier(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 500; i++)
            {
                Assert.True(log.TryAppend(Entry($"gen-{t}-{i}", Interlocked.Increment(ref sequence))));
                if (t == 0 && i % 100 == 0)
                {
                    log.Seal(); // as the journal does, while the others append
                }
            }
        })));
        log.Close(committed: 0);

        var ids = Directory.GetFiles(Segments).SelectMany(File.ReadAllLines)
            .Select(line => JsonSerializer.Deserialize(line, SettlementLogJsonContext.Default.LoggedGeneration)!.Record.Id)
            .ToList();
        Assert.Equal(4_000, ids.Count);
        Assert.Equal(4_000, ids.Distinct().Count());
    }

    [Fact]
    public void A_sealed_segment_stays_locked_until_everything_in_it_is_committed_then_is_deleted()
    {
        using var log = Open(ChargeDurability.Log);
        Assert.True(log.TryAppend(Entry("gen-1", sequence: 1)));
        Assert.True(log.TryAppend(Entry("gen-2", sequence: 2)));
        log.Seal();
        Assert.True(log.TryAppend(Entry("gen-3", sequence: 3)));
        var files = Directory.GetFiles(Segments).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Throws<IOException>(() => new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.None).Dispose()));

        log.Release(committed: 1); // gen-2 is not committed yet
        Assert.True(File.Exists(files[0]));

        log.Release(committed: 2);
        Assert.False(File.Exists(files[0]));
        Assert.True(File.Exists(files[1])); // being written: sealed only by the journal's next batch
    }

    [Fact]
    public void At_close_committed_segments_go_and_the_rest_are_left_unlocked_for_replay()
    {
        var log = Open(ChargeDurability.Log);
        Assert.True(log.TryAppend(Entry("gen-1", sequence: 1)));
        log.Seal();
        Assert.True(log.TryAppend(Entry("gen-2", sequence: 2)));

        log.Close(committed: 1);

        var left = Assert.Single(Directory.GetFiles(Segments));
        using (new FileStream(left, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            // Lockable: a replayer may take it.
        }
        Assert.Contains("gen-2", File.ReadAllText(left), StringComparison.Ordinal);
        Assert.False(log.TryAppend(Entry("gen-3", sequence: 3))); // closed: the caller must wait for the commit instead
    }

    [Theory]
    [InlineData("Commit")]
    [InlineData("None")]
    public void Without_the_log_nothing_is_written_and_every_append_says_so(string durability)
    {
        using var log = Open(Enum.Parse<ChargeDurability>(durability));

        Assert.False(log.TryAppend(Entry("gen-1", sequence: 1)));
        Assert.False(Directory.Exists(Segments));
    }

    [Fact]
    public void The_log_is_the_default_on_a_SQLite_file_and_the_commit_on_PostgreSQL()
    {
        var billing = new BillingOptions();

        Assert.Equal(ChargeDurability.Log, SettlementLog.DurabilityOf(billing, new DatabaseOptions { DataDirectory = _dataDirectory }));
        Assert.Equal(ChargeDurability.Commit, SettlementLog.DurabilityOf(billing, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db" }));
        Assert.Equal(ChargeDurability.Commit, SettlementLog.DurabilityOf(billing, new DatabaseOptions { ConnectionString = "Data Source=:memory:" }));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions RecordJson = new();

    private SettlementLog Open(ChargeDurability durability) =>
        new(new BillingOptions { Durability = durability }, new DatabaseOptions { DataDirectory = _dataDirectory }, NullLogger<SettlementLog>.Instance);

    private static GenerationEntry Entry(string id, long sequence, decimal charge = 0.25m) => new(
        new GenerationRecord
        {
            Id = id, AccountId = Key.AccountId, ApiKeyId = Key.Id, CreatedAt = new DateTime(2026, 12, 7, 13, 0, 0, 123, DateTimeKind.Utc),
            Day = new DateOnly(2026, 12, 7), RequestedModel = "test/model", Model = "test/model", ProviderName = "Alpha", Attempts = """[{"provider":"alpha"}]""",
            Status = 200, TokensPrompt = 12, TokensCompletion = 34, Cost = charge, Throughput = 12.5, FinishReason = "stop", Streamed = true,
        },
        new SettlementEntry(id, Key, "replica-1", charge, charge, 0m, 0m, FromKeyLease: true, new DateTime(2026, 12, 7, 13, 0, 1, DateTimeKind.Utc)),
        new GenerationContent { GenerationId = id, AccountId = Key.AccountId, Prompt = "the prompt", Completion = "the completion" },
        Unmark: true)
    {
        Sequence = sequence,
    };
}
