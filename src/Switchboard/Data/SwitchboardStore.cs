using System.Data;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>
/// The two ways into the store: a short read on a fresh context, or a write transaction that takes the
/// <see cref="DatabaseWriteGate"/> first. Every money movement goes through <see cref="WriteAsync{T}"/>.
/// </summary>
internal sealed class SwitchboardStore(IDbContextFactory<SwitchboardDbContext> contexts, DatabaseWriteGate gate)
{
    public SwitchboardDbContext Read()
    {
        var db = contexts.CreateDbContext();
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return db;
    }

    /// <summary>
    /// Runs several reads against one consistent snapshot, for checks that compare tables (an audit) while the
    /// journal keeps writing. On SQLite this takes the write gate, since its transactions begin immediate.
    /// </summary>
    public async Task<T> SnapshotAsync<T>(Func<SwitchboardDbContext, Task<T>> work, CancellationToken cancellationToken = default)
    {
        using var turn = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var db = Read();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await work(db).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. It commits when the work returns, unless the work called
    /// <see cref="WriteScope.Abandon"/> (an expected refusal that must leave no trace), and rolls back if it throws.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SwitchboardDbContext, WriteScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        using var turn = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var scope = new WriteScope();
        var result = await work(db, scope).ConfigureAwait(false);
        if (scope.Abandoned)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return result;
    }

    public Task<T> WriteAsync<T>(Func<SwitchboardDbContext, Task<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync((db, _) => work(db), cancellationToken);
}

/// <summary>Lets a write transaction's work decide to undo everything it did.</summary>
internal sealed class WriteScope
{
    public bool Abandoned { get; private set; }

    public void Abandon() => Abandoned = true;
}
