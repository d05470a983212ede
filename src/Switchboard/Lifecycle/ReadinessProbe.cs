using Microsoft.EntityFrameworkCore;
using Switchboard.Billing;
using Switchboard.Data;
using Switchboard.Security;

namespace Switchboard.Lifecycle;

/// <summary>
/// <c>GET /readyz</c>: whether this process should get traffic. It is not while it drains (from the stop signal on,
/// before connections close), while the journal's backlog is near its bound (the store is not keeping up, and new
/// requests would soon wait for room), or while the database cannot be reached or has migrations this build needs that
/// are not applied, or while it cannot decrypt the key ring the database holds (a wrong
/// <c>Switchboard:DataProtection</c> setting: it could read no session and no account's stored provider key,
/// <see cref="KeyRingHealth"/>).
/// </summary>
/// <remarks>
/// The database answer is kept for a second and one probe asks at a time, so a load balancer's probes every few
/// hundred milliseconds, from several balancers, cost the database one query a second at most. The drain and the
/// backlog are read live: they are in memory, and so is the key ring's answer, which its own watch refreshes every minute.
/// </remarks>
internal sealed class ReadinessProbe(
    IDbContextFactory<SwitchboardDbContext> contexts, LedgerJournal journal, GenerationDrain drain, KeyRingHealth keyRing, TimeProvider time)
    : IDisposable
{
    /// <summary>Share of the journal's capacity above which the process reports unready.</summary>
    public const decimal BacklogLimit = 0.9m;

    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _oneQuery = new(1, 1);
    private volatile DatabaseAnswer? _database;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var draining = drain.Draining;
        var backlog = journal.Backlog;
        var journalOk = backlog < journal.Capacity * BacklogLimit;
        var database = draining ? null : await DatabaseAsync(cancellationToken);
        var keyRingProblem = keyRing.Problem;
        var ready = !draining && journalOk && keyRingProblem is null && database is { Reachable: true, PendingMigrations: 0 };
        return new ReadinessReport(
            draining ? "draining" : ready ? "ready" : "unready",
            new ReadinessChecks(
                Draining: draining,
                Database: database is null ? "not checked while draining" : database.Reachable ? "ok" : database.Problem!,
                Migrations: database is not { Reachable: true } ? "unknown" : database.PendingMigrations == 0 ? "ok" : $"{database.PendingMigrations} pending",
                Journal: journalOk ? "ok" : "backlog near its bound",
                JournalBacklog: backlog,
                JournalCapacity: journal.Capacity,
                KeyRing: keyRingProblem ?? "ok"));
    }

    private async Task<DatabaseAnswer> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_database is { } fresh && time.GetElapsedTime(fresh.At) < CacheFor)
        {
            return fresh;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseTimeout);
        try
        {
            if (!await _oneQuery.WaitAsync(DatabaseTimeout, cancellationToken))
            {
                return _database ?? new DatabaseAnswer(false, "the database did not answer in time", 0, time.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
            return _database ?? new DatabaseAnswer(false, "the probe was cancelled", 0, time.GetTimestamp());
        }
        try
        {
            if (_database is { } other && time.GetElapsedTime(other.At) < CacheFor)
            {
                return other; // another probe asked while this one waited
            }
            DatabaseAnswer answer;
            try
            {
                await using var db = await contexts.CreateDbContextAsync(timeout.Token);
                // Opened here, so that a database that is gone fails as unreachable: asked first, the history
                // repository takes "the database does not exist" (PostgreSQL's 3D000, which Npgsql's existence check
                // swallows) for "no migration applied yet", and a dropped database read "ok, 8 pending".
                await db.Database.OpenConnectionAsync(timeout.Token);
                // One query answers both questions: the history table is read from the database itself.
                var pending = (await db.Database.GetPendingMigrationsAsync(timeout.Token)).Count();
                answer = new DatabaseAnswer(true, null, pending, time.GetTimestamp());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                answer = new DatabaseAnswer(false, "the database did not answer in time", 0, time.GetTimestamp());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Any failure to ask is an answer here (drivers throw socket, timeout and their own exceptions); a probe
                // that threw would be a 500, which a balancer reads the same way but an operator cannot.
                // The type only: driver messages can carry host names and user names.
                answer = new DatabaseAnswer(false, $"unreachable ({ex.GetType().Name})", 0, time.GetTimestamp());
            }
            _database = answer;
            return answer;
        }
        finally
        {
            _oneQuery.Release();
        }
    }

    public void Dispose() => _oneQuery.Dispose();

    private sealed record DatabaseAnswer(bool Reachable, string? Problem, int PendingMigrations, long At);
}

internal sealed record ReadinessReport(string Status, ReadinessChecks Checks);

/// <param name="KeyRing">"ok", or why this replica cannot decrypt the stored key ring and which setting to fix.</param>
internal sealed record ReadinessChecks(bool Draining, string Database, string Migrations, string Journal, int JournalBacklog, int JournalCapacity, string KeyRing);
