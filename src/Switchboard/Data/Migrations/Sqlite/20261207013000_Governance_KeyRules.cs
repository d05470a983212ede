using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Governance_KeyRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedModels",
                table: "api_keys",
                type: "TEXT",
                maxLength: 20100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AllowedProviders",
                table: "api_keys",
                type: "TEXT",
                maxLength: 20100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RequestsPerMinute",
                table: "api_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TokensPerMinute",
                table: "api_keys",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedModels",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "AllowedProviders",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "RequestsPerMinute",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "TokensPerMinute",
                table: "api_keys");
        }
    }
}
