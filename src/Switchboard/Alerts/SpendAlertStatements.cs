using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Data;

namespace Switchboard.Alerts;

/// <summary>
/// Records an alert unless it already is, as plain SQL in the caller's transaction. <c>ON CONFLICT DO NOTHING</c>
/// against the unique index (account, subject, threshold, period) is what makes an alert fire once when several
/// replicas see the same crossing: the statement returns the new row's id only to the one that inserted it, and
/// only that one calls the webhook. SQLite and PostgreSQL both read this statement the same way.
/// </summary>
internal sealed class SpendAlertStatements(SwitchboardDbContext db)
{
    private const string InsertIfAbsent =
        """
        INSERT INTO spend_alerts ("AccountId", "ApiKeyId", "Kind", "Subject", "Threshold", "PeriodStart", "Spent", "Of", "CreatedAt", "Webhook", "WebhookAttempts")
        VALUES (@account, @key, @kind, @subject, @threshold, @period, @spent, @of, @now, @webhook, 0)
        ON CONFLICT ("AccountId", "Subject", "Threshold", "PeriodStart") DO NOTHING
        RETURNING "Id"
        """;

    /// <returns>The new alert's id; null when it was recorded before (here or by another replica).</returns>
    public async Task<long?> InsertIfAbsentAsync(SpendAlert alert)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = InsertIfAbsent;
        // Enums as the names EF stores them as (HasConversion<string>), so EF reads these rows back.
        Add(command, "@account", alert.AccountId);
        Add(command, "@key", alert.ApiKeyId);
        Add(command, "@kind", alert.Kind.ToString());
        Add(command, "@subject", alert.Subject);
        Add(command, "@threshold", alert.Threshold);
        Add(command, "@period", alert.PeriodStart);
        Add(command, "@spent", alert.Spent);
        Add(command, "@of", alert.Of);
        Add(command, "@now", alert.CreatedAt);
        Add(command, "@webhook", alert.Webhook?.ToString());
        var id = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
