using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>The PostgreSQL flavour, for several replicas on one database; migrations under <c>Data/Migrations/Postgres</c>.</summary>
internal sealed class PostgresSwitchboardDbContext(DbContextOptions<PostgresSwitchboardDbContext> options) : SwitchboardDbContext(options);
