using Switchboard.Data;
using Switchboard.Generations;

namespace Switchboard.Billing;

/// <summary>
/// The money statements as plain SQL in the caller's transaction, through a <see cref="SqlBatch"/> (one round trip
/// on PostgreSQL). EF's <c>ExecuteUpdate</c> cost about half a millisecond each to translate. Arithmetic stays in
/// the database and exact: PostgreSQL's <c>numeric</c>, and on SQLite the <c>ef_add</c>/<c>ef_compare</c> functions
/// EF Core registers on every connection it opens, which is how EF itself handles decimals stored as text.
/// Callers add statements in the store's lock order: gateway_instances, accounts, api_keys, credit_leases, each by id.
/// </summary>
internal sealed class LedgerStatements(SqlBatch batch)
{
    private readonly bool _sqlite = batch.IsSqlite;
    private readonly Texts _sql = batch.IsSqlite ? Texts.Sqlite : Texts.Postgres;

    /// <summary>
    /// Proves <paramref name="instance"/> alive and locks its row for the transaction: 1 when the row is there, 0
    /// when a replica found the instance dead and reclaimed its leases (it must then not touch them).
    /// </summary>
    public Task<int> BeatAsync(string instance, DateTime now) => batch.ExecuteNowAsync(
        """UPDATE gateway_instances SET "Beat" = "Beat" + 1, "HeartbeatAt" = @now WHERE "Id" = @id""", ("@now", now), ("@id", instance));

    /// <summary>
    /// Whether the store still knows <paramref name="instance"/>, and, until the transaction ends, that no replica can
    /// reclaim it: on PostgreSQL by beating on its row (which locks it); on SQLite by reading it, since a write
    /// transaction there already shuts every other writer out, and a batch need not pay for writing one more page.
    /// </summary>
    public async Task<bool> HoldAsync(string instance, DateTime now) => _sqlite
        ? await batch.QueryRowAsync("""SELECT 1 FROM gateway_instances WHERE "Id" = @id""", ("@id", instance)).ConfigureAwait(false) is not null
        : await BeatAsync(instance, now).ConfigureAwait(false) == 1;

    /// <summary>
    /// Takes <paramref name="charge"/> off the balance and <paramref name="leased"/> (the part the instance's lease
    /// covered) off <c>Reserved</c>, and remembers the lowest balance a charge ever left.
    /// </summary>
    public void ChargeAccount(long accountId, decimal charge, decimal leased) =>
        batch.Add(_sql.ChargeAccount, ("@charge", -charge), ("@leased", -leased), ("@id", accountId));

    /// <summary>
    /// The account's balance less its reservations, its row locked for the transaction (PostgreSQL; SQLite's write
    /// transaction holds the whole file).
    /// </summary>
    public async Task<decimal> FreeCreditForUpdateAsync(long accountId)
    {
        var row = await batch.QueryRowAsync(_sql.FreeCreditForUpdate, ("@id", accountId)).ConfigureAwait(false);
        return row is null ? 0m : SqlBatch.Decimal(row[0]) - SqlBatch.Decimal(row[1]);
    }

    /// <summary>Gives back <paramref name="amount"/> of what an account's or key's <c>Reserved</c> holds.</summary>
    public void ReleaseReserved(CreditPoolId pool, decimal amount)
    {
        if (pool.ApiKeyId is { } keyId)
        {
            batch.Add(_sql.ReleaseKeyReserved, ("@amount", -amount), ("@id", keyId));
        }
        else
        {
            batch.Add(_sql.ReleaseAccountReserved, ("@amount", -amount), ("@id", pool.AccountId));
        }
    }

    /// <summary>
    /// A key's spend: lifetime usage always; period usage counted in the period the charges fell in, so charges
    /// journaled after the period rolled over count only toward the lifetime usage.
    /// </summary>
    public void ApplyKeySpend(long keyId, DateTime period, decimal limitSpend, decimal charge, decimal byok, decimal leased) => batch.Add(
        _sql.ApplyKeySpend, ("@period", period), ("@spend", limitSpend), ("@leased", -leased), ("@charge", charge), ("@byok", byok), ("@id", keyId));

    /// <summary>Adds <paramref name="change"/> to the instance's lease on the budget, creating it on first use.</summary>
    public void AdjustLease(string instance, CreditPoolId pool, decimal change, DateTime now) => batch.Add(
        _sql.AdjustLease,
        ("@id", pool.LeaseId(instance)), ("@instance", instance), ("@account", pool.AccountId), ("@key", pool.ApiKeyId), ("@change", change), ("@now", now));

    public void DeleteEmptyLeases(string instance) => batch.Add(_sql.DeleteEmptyLeases, ("@instance", instance), ("@zero", 0m));

    /// <summary>Deletes the in-flight markers of generations that have settled.</summary>
    public void DeleteMarkers(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            batch.Add("""DELETE FROM generations_in_flight WHERE "Id" = @id""", ("@id", id));
        }
    }

    /// <summary>
    /// Adds each cell's sums to its <c>daily_usage</c> row, creating the row on first use. Cells come sorted (see
    /// <see cref="DailyUsageCells.Merge"/>), so replicas sharing a PostgreSQL database lock the rows they both touch
    /// in the same order and cannot deadlock on them.
    /// </summary>
    public void AddDailyUsage(IReadOnlyList<DailyUsage> cells) => batch.Insert(cells, _sql.AddDailyUsageOnConflict);

    /// <summary>
    /// The statements' text for one provider, built once: a batch runs each of them, and building the text (and
    /// hashing it to find the prepared statement) per batch was most of what a batch allocated.
    /// </summary>
    private sealed class Texts
    {
        public static readonly Texts Sqlite = new(sqlite: true);
        public static readonly Texts Postgres = new(sqlite: false);

        private Texts(bool sqlite)
        {
            string Add(string column, string parameter) => sqlite ? $"ef_add({column}, {parameter})" : $"{column} + {parameter}";
            string Equal(string column, string parameter) => sqlite ? $"ef_compare({column}, {parameter}) = 0" : $"{column} = {parameter}";
            string Less(string left, string right) => sqlite ? $"ef_compare({left}, {right}) < 0" : $"{left} < {right}";

            var after = Add("\"Balance\"", "@charge");
            ChargeAccount = $"""
                UPDATE accounts SET "Balance" = {after}, "Reserved" = {Add("\"Reserved\"", "@leased")},
                  "LowestBalance" = CASE WHEN {Less(after, "\"LowestBalance\"")} THEN {after} ELSE "LowestBalance" END
                WHERE "Id" = @id
                """;
            FreeCreditForUpdate = $"""SELECT "Balance", "Reserved" FROM accounts WHERE "Id" = @id{(sqlite ? "" : " FOR UPDATE")}""";
            ReleaseKeyReserved = $"""UPDATE api_keys SET "Reserved" = {Add("\"Reserved\"", "@amount")} WHERE "Id" = @id""";
            ReleaseAccountReserved = $"""UPDATE accounts SET "Reserved" = {Add("\"Reserved\"", "@amount")} WHERE "Id" = @id""";
            ApplyKeySpend = $"""
                UPDATE api_keys SET
                  "PeriodUsage" = CASE WHEN "PeriodStart" < @period THEN @spend WHEN "PeriodStart" = @period THEN {Add("\"PeriodUsage\"", "@spend")} ELSE "PeriodUsage" END,
                  "PeriodStart" = CASE WHEN "PeriodStart" < @period THEN @period ELSE "PeriodStart" END,
                  "Reserved" = {Add("\"Reserved\"", "@leased")},
                  "Usage" = {Add("\"Usage\"", "@charge")},
                  "ByokUsage" = {Add("\"ByokUsage\"", "@byok")}
                WHERE "Id" = @id
                """;
            AdjustLease = $"""
                INSERT INTO credit_leases ("Id", "Instance", "AccountId", "ApiKeyId", "Amount", "UpdatedAt") VALUES (@id, @instance, @account, @key, @change, @now)
                ON CONFLICT ("Id") DO UPDATE SET "Amount" = {Add("credit_leases.\"Amount\"", "excluded.\"Amount\"")}, "UpdatedAt" = excluded."UpdatedAt"
                """;
            DeleteEmptyLeases = $"""DELETE FROM credit_leases WHERE "Instance" = @instance AND {Equal("\"Amount\"", "@zero")}""";
            AddDailyUsageOnConflict = $"""
                ON CONFLICT ("AccountId", "Day", "ApiKeyId", "Model", "ProviderName") DO UPDATE SET
                  "Requests" = daily_usage."Requests" + excluded."Requests",
                  "PromptTokens" = daily_usage."PromptTokens" + excluded."PromptTokens",
                  "CompletionTokens" = daily_usage."CompletionTokens" + excluded."CompletionTokens",
                  "ReasoningTokens" = daily_usage."ReasoningTokens" + excluded."ReasoningTokens",
                  "Cost" = {Add("daily_usage.\"Cost\"", "excluded.\"Cost\"")},
                  "UpstreamCost" = {Add("daily_usage.\"UpstreamCost\"", "excluded.\"UpstreamCost\"")}
                """;
        }

        public string ChargeAccount { get; }
        public string FreeCreditForUpdate { get; }
        public string ReleaseKeyReserved { get; }
        public string ReleaseAccountReserved { get; }
        public string ApplyKeySpend { get; }
        public string AdjustLease { get; }
        public string DeleteEmptyLeases { get; }
        public string AddDailyUsageOnConflict { get; }
    }
}
