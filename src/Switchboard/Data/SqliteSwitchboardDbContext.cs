using Microsoft.EntityFrameworkCore;

namespace Switchboard.Data;

/// <summary>The SQLite flavour: the embedded default, migrations under <c>Data/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteSwitchboardDbContext(DbContextOptions<SqliteSwitchboardDbContext> options) : SwitchboardDbContext(options);
