using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Switchboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GenerationApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Api",
                table: "generations_in_flight",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "chat.completions");

            migrationBuilder.AddColumn<string>(
                name: "Api",
                table: "generations",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "chat.completions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Api",
                table: "generations_in_flight");

            migrationBuilder.DropColumn(
                name: "Api",
                table: "generations");
        }
    }
}
