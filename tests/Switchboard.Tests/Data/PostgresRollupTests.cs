using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Tests.Generations;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Data;

/// <summary>
/// The rollup's SQL is written twice, once per provider (the upsert's decimal addition, the backfill's sums):
/// the PostgreSQL half, checked the same way as SQLite's. Needs <c>SWITCHBOARD_TEST_POSTGRES</c>.
/// </summary>
public sealed class PostgresRollupTests
{
    [PostgresFact]
    public async Task On_PostgreSQL_migrating_a_store_with_records_fills_the_rollup_with_their_exact_sums()
    {
        await using var database = await TestPostgres.CreateAsync();
        var options = new DbContextOptionsBuilder<PostgresSwitchboardDbContext>();
        options.UsePostgres(database.ConnectionString);

        await DailyUsageBackfillTests.BackfillEqualsRecordsAsync(() => new PostgresSwitchboardDbContext(options.Options));
    }

    [PostgresFact]
    public async Task On_PostgreSQL_activity_equals_the_records_and_sums_small_amounts_exactly()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?>
        {
            ["Switchboard:Database:Provider"] = "Postgres",
            ["Switchboard:Database:ConnectionString"] = database.ConnectionString,
        });
        using var admin = gateway.CreateGatewayClient(GatewayFactory.ManagementKey);

        await ActivityRollupTests.TotalsEqualRecordsAsync(gateway, admin);
        await ActivityRollupTests.SmallAmountsSumExactlyAsync(gateway, admin);
    }
}
