using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CreditLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Per-generation reservations give way to per-instance leases. Whatever the old rows still held is
            // released, exactly as a restart after a crash would have done.
            migrationBuilder.Sql("UPDATE accounts SET \"Reserved\" = 0; UPDATE api_keys SET \"Reserved\" = 0;");

            migrationBuilder.DropTable(
                name: "reservations");

            migrationBuilder.CreateTable(
                name: "credit_leases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Instance = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    ApiKeyId = table.Column<long>(type: "bigint", nullable: true),
                    Amount = table.Column<decimal>(type: "numeric", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_credit_leases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_credit_leases_Instance",
                table: "credit_leases",
                column: "Instance");

            migrationBuilder.CreateIndex(
                name: "IX_credit_leases_UpdatedAt",
                table: "credit_leases",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credit_leases");

            migrationBuilder.CreateTable(
                name: "reservations",
                columns: table => new
                {
                    GenerationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountAmount = table.Column<decimal>(type: "numeric", nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    ApiKeyId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Instance = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    KeyAmount = table.Column<decimal>(type: "numeric", nullable: false),
                    Model = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Streamed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reservations", x => x.GenerationId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reservations_Instance_CreatedAt",
                table: "reservations",
                columns: new[] { "Instance", "CreatedAt" });
        }
    }
}
