using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Switchboard.Data;
using Switchboard.Generations;

namespace Switchboard.Billing;

/// <summary>
/// The journal's updates as plain SQL in the caller's transaction. EF's <c>ExecuteUpdate</c> cost about half a
/// millisecond each to translate, several per batch, which was most of a batch's time. Arithmetic stays in the
/// database and exact: PostgreSQL's <c>numeric</c>, and on SQLite the <c>ef_add</c> function EF Core registers on
/// every connection it opens, which is how EF itself adds decimals stored as text.
/// </summary>
internal sealed class LedgerStatements(SwitchboardDbContext db)
{
    private readonly bool _sqlite = db.Database.IsSqlite();

    public Task<int> ChargeAccountAsync(long accountId, decimal charge) => ExecuteAsync(
        $"""UPDATE accounts SET "Balance" = {Add("\"Balance\"", "@charge")}, "Reserved" = {Add("\"Reserved\"", "@charge")} WHERE "Id" = @id""",
        ("@charge", -charge), ("@id", accountId));

    /// <summary>Gives back <paramref name="amount"/> of what an account's or key's <c>Reserved</c> holds.</summary>
    public Task<int> ReleaseReservedAsync(CreditPoolId pool, decimal amount) => pool.ApiKeyId is { } keyId
        ? ExecuteAsync($"""UPDATE api_keys SET "Reserved" = {Add("\"Reserved\"", "@amount")} WHERE "Id" = @id""", ("@amount", -amount), ("@id", keyId))
        : ExecuteAsync($"""UPDATE accounts SET "Reserved" = {Add("\"Reserved\"", "@amount")} WHERE "Id" = @id""", ("@amount", -amount), ("@id", pool.AccountId));

    /// <summary>
    /// A key's spend: lifetime usage always; period usage counted in the period the charges fell in, so charges
    /// journaled after the period rolled over count only toward the lifetime usage.
    /// </summary>
    public Task<int> ApplyKeySpendAsync(long keyId, DateTime period, decimal limitSpend, decimal charge, decimal byok, decimal leased) => ExecuteAsync(
        $"""
        UPDATE api_keys SET
          "PeriodUsage" = CASE WHEN "PeriodStart" < @period THEN @spend WHEN "PeriodStart" = @period THEN {Add("\"PeriodUsage\"", "@spend")} ELSE "PeriodUsage" END,
          "PeriodStart" = CASE WHEN "PeriodStart" < @period THEN @period ELSE "PeriodStart" END,
          "Reserved" = {Add("\"Reserved\"", "@leased")},
          "Usage" = {Add("\"Usage\"", "@charge")},
          "ByokUsage" = {Add("\"ByokUsage\"", "@byok")}
        WHERE "Id" = @id
        """,
        ("@period", period), ("@spend", limitSpend), ("@leased", -leased), ("@charge", charge), ("@byok", byok), ("@id", keyId));

    /// <summary>Adds <paramref name="change"/> to the lease, creating it on first use.</summary>
    public async Task AdjustLeaseAsync(string instance, CreditPoolId pool, decimal change, DateTime now)
    {
        var id = pool.LeaseId(instance);
        var updated = await ExecuteAsync(
            $"""UPDATE credit_leases SET "Amount" = {Add("\"Amount\"", "@change")}, "UpdatedAt" = @now WHERE "Id" = @id""",
            ("@change", change), ("@now", now), ("@id", id));
        if (updated == 0)
        {
            await ExecuteAsync(
                """INSERT INTO credit_leases ("Id", "Instance", "AccountId", "ApiKeyId", "Amount", "UpdatedAt") VALUES (@id, @instance, @account, @key, @amount, @now)""",
                ("@id", id), ("@instance", instance), ("@account", pool.AccountId), ("@key", pool.ApiKeyId), ("@amount", change), ("@now", now));
        }
    }

    /// <summary>
    /// Adds each cell's sums to its <c>daily_usage</c> row, creating the row on first use: one upsert per cell, through
    /// the bulk insert's prepared statement (on SQLite, its own statement API). Cells come sorted (see
    /// <see cref="DailyUsageCells.Merge"/>), so replicas sharing a PostgreSQL database lock the rows they both touch
    /// in the same order and cannot deadlock on them.
    /// </summary>
    public Task AddDailyUsageAsync(IReadOnlyList<DailyUsage> cells) => db.UpsertAsync(cells, $"""
        ON CONFLICT ("AccountId", "Day", "ApiKeyId", "Model", "ProviderName") DO UPDATE SET
          "Requests" = daily_usage."Requests" + excluded."Requests",
          "PromptTokens" = daily_usage."PromptTokens" + excluded."PromptTokens",
          "CompletionTokens" = daily_usage."CompletionTokens" + excluded."CompletionTokens",
          "ReasoningTokens" = daily_usage."ReasoningTokens" + excluded."ReasoningTokens",
          "Cost" = {Add("daily_usage.\"Cost\"", "excluded.\"Cost\"")},
          "UpstreamCost" = {Add("daily_usage.\"UpstreamCost\"", "excluded.\"UpstreamCost\"")}
        """);

    public Task<int> DeleteEmptyLeasesAsync(string instance) =>
        ExecuteAsync($"""DELETE FROM credit_leases WHERE "Instance" = @instance AND {Equal("\"Amount\"", "@zero")}""", ("@instance", instance), ("@zero", 0m));

    private string Add(string column, string parameter) => _sqlite ? $"ef_add({column}, {parameter})" : $"{column} + {parameter}";

    private string Equal(string column, string parameter) => _sqlite ? $"ef_compare({column}, {parameter}) = 0" : $"{column} = {parameter}";

    private async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
