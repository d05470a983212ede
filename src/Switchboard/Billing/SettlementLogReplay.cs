using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Alerts;
using Switchboard.Data;

namespace Switchboard.Billing;

/// <summary>
/// Writes to the store what dead processes left in their settlement logs (<see cref="SettlementLog"/>): completions
/// their clients received whose charge the journal had not yet committed. A segment can be locked only once its
/// process is gone (the operating system releases a dead process's locks), so a segment this finds unlockable belongs
/// to a live process and is left alone. Entries whose record the store already has were committed before the process
/// died and are skipped, so replaying twice charges nothing twice. Runs before this process serves its first
/// request, and before it reclaims any dead instance: a reclaim gives back the dead instance's leases and records
/// its unfinished generations as interrupted, and the charges drawn on those leases, and the generations that did
/// finish, must be in the store first. What a replay charged goes to the <see cref="SpendAlertMonitor"/>, as a journal
/// batch's does: a threshold the dead process's last charges crossed is alerted now, not at the account's next charge.
/// </summary>
internal sealed partial class SettlementLogReplay(
    SettlementLog log, JournalWriter writer, SpendAlertMonitor alerts, IDbContextFactory<SwitchboardDbContext> contexts,
    ILogger<SettlementLogReplay> logger) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public void Dispose() => _one.Dispose();

    /// <summary>
    /// Replays every dead process's segments; returns how many generations it wrote. A segment that fails (the store
    /// not answering) is logged and left for the next call.
    /// </summary>
    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        if (log.Directory is not { } directory || !Directory.Exists(directory))
        {
            return 0;
        }
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = 0;
            foreach (var path in Directory.EnumerateFiles(directory).Where(SettlementLog.IsSegment).Where(p => !log.Owns(p)).Order(StringComparer.Ordinal))
            {
                try
                {
                    written += await ReplaySegmentAsync(path).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One segment the store refuses must not hold up the others; it stays, and is tried again next time.
                    Log.SegmentFailed(logger, path, ex);
                }
            }
            return written;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<int> ReplaySegmentAsync(string path)
    {
        FileStream file;
        try
        {
            // Exclusive, like its writer's lock: granted only if no live process holds the segment.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // its process is alive (or another replayer has it), or it is already gone
        }
        await using (file.ConfigureAwait(false))
        {
            var entries = await ReadAsync(file, path).ConfigureAwait(false);
            var missing = await MissingAsync(entries).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                // As the process's last identity, so charges held under it come off its leases if the store still has
                // them; any held under an identity it had forfeited were reclaimed already, and take only free credit.
                var me = missing.LastOrDefault(e => e.Settlement is not null)?.Settlement!.LeaseOwner ?? "";
                var batch = new JournalBatch(missing);
                var written = await writer.WriteAsync(batch, me).ConfigureAwait(false);
                Log.Replayed(logger, missing.Count, path, written.Identity, written.Live);
                alerts.Charged(batch.Settlements);
            }
            File.Delete(path); // still holding its lock: no other replayer opens it after this
            return missing.Count;
        }
    }

    private async Task<List<GenerationEntry>> ReadAsync(FileStream file, string path)
    {
        var entries = new List<GenerationEntry>();
        using var reader = new StreamReader(file);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            try
            {
                if (JsonSerializer.Deserialize(line, SettlementLogJsonContext.Default.LoggedGeneration) is { } logged)
                {
                    entries.Add(logged.ToEntry());
                }
            }
            catch (JsonException)
            {
                // Only a last line torn by the crash can be incomplete, and its response never completed.
                Log.TornLine(logger, path);
            }
        }
        return entries;
    }

    /// <summary>The entries whose record the store does not have: those no batch committed.</summary>
    private async Task<List<GenerationEntry>> MissingAsync(List<GenerationEntry> entries)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync().ConfigureAwait(false);
        foreach (var chunk in entries.Select(e => e.Record.Id).Chunk(500))
        {
            present.UnionWith(await db.Generations.Where(g => chunk.Contains(g.Id)).Select(g => g.Id).ToListAsync().ConfigureAwait(false));
        }
        return [.. entries.Where(e => !present.Contains(e.Record.Id)).DistinctBy(e => e.Record.Id)];
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Replayed {Count} generation(s) from {Path}, a settlement log its process left uncommitted; charged under instance {Identity} (its leases still held: {Live}).")]
        public static partial void Replayed(ILogger logger, int count, string path, string identity, bool live);

        [LoggerMessage(3, LogLevel.Error, "Could not replay settlement log segment {Path}; it stays for the next try.")]
        public static partial void SegmentFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Skipped a torn line at the end of settlement log {Path}: a completion whose response never went out.")]
        public static partial void TornLine(ILogger logger, string path);
    }
}
