using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AlertThresholds",
                table: "accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "50,80,100");

            migrationBuilder.AddColumn<string>(
                name: "AlertWebhookUrl",
                table: "accounts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "CreditBaseline",
                table: "accounts",
                type: "numeric",
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<DateTime>(
                name: "CreditBaselineAt",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DefaultModel",
                table: "accounts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ExcludeTrainingProviders",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "SettingsUpdatedAt",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<bool>(
                name: "StorePrompts",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Balance alerts measure spend from the balance as it stands now.
            migrationBuilder.Sql("UPDATE accounts SET \"CreditBaseline\" = \"Balance\"");

            migrationBuilder.CreateTable(
                name: "account_provider_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    ProviderSlug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Ciphertext = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Masked = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_provider_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_account_provider_keys_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "daily_usage",
                columns: table => new
                {
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ApiKeyId = table.Column<long>(type: "bigint", nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProviderName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false),
                    PromptTokens = table.Column<long>(type: "bigint", nullable: false),
                    CompletionTokens = table.Column<long>(type: "bigint", nullable: false),
                    ReasoningTokens = table.Column<long>(type: "bigint", nullable: false),
                    Cost = table.Column<decimal>(type: "numeric", nullable: false),
                    UpstreamCost = table.Column<decimal>(type: "numeric", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_usage", x => new { x.AccountId, x.Day, x.ApiKeyId, x.Model, x.ProviderName });
                });

            // The rollup starts from every record already written; from here on the journal adds each batch's records
            // in the batch's transaction. EF runs migrations under its migration lock, so replicas starting together
            // cannot sum twice. numeric sums are exact.
            migrationBuilder.Sql(
                """
                INSERT INTO daily_usage ("AccountId", "Day", "ApiKeyId", "Model", "ProviderName", "Requests", "PromptTokens", "CompletionTokens", "ReasoningTokens", "Cost", "UpstreamCost")
                SELECT "AccountId", "Day", "ApiKeyId", "Model", COALESCE("ProviderName", ''), COUNT(*), SUM("TokensPrompt"), SUM("TokensCompletion"), SUM("TokensReasoning"),
                       SUM("Cost"), COALESCE(SUM("UpstreamCost"), 0)
                FROM generations
                GROUP BY "AccountId", "Day", "ApiKeyId", "Model", COALESCE("ProviderName", '')
                """);

            migrationBuilder.CreateTable(
                name: "generation_contents",
                columns: table => new
                {
                    GenerationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Prompt = table.Column<string>(type: "text", nullable: false),
                    Completion = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_generation_contents", x => x.GenerationId);
                });

            migrationBuilder.CreateTable(
                name: "operator_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Markup = table.Column<decimal>(type: "numeric", nullable: true),
                    ByokFee = table.Column<decimal>(type: "numeric", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_operator_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "spend_alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    ApiKeyId = table.Column<long>(type: "bigint", nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Subject = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    PeriodStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Spent = table.Column<decimal>(type: "numeric", nullable: false),
                    Of = table.Column<decimal>(type: "numeric", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Webhook = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    WebhookAttempts = table.Column<int>(type: "integer", nullable: false),
                    WebhookError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_spend_alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_spend_alerts_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_accounts_SettingsUpdatedAt",
                table: "accounts",
                column: "SettingsUpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_account_provider_keys_AccountId_ProviderSlug",
                table: "account_provider_keys",
                columns: new[] { "AccountId", "ProviderSlug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_generation_contents_AccountId_CreatedAt",
                table: "generation_contents",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_spend_alerts_AccountId_CreatedAt",
                table: "spend_alerts",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_spend_alerts_AccountId_Subject_Threshold_PeriodStart",
                table: "spend_alerts",
                columns: new[] { "AccountId", "Subject", "Threshold", "PeriodStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_spend_alerts_Webhook",
                table: "spend_alerts",
                column: "Webhook");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_provider_keys");

            migrationBuilder.DropTable(
                name: "daily_usage");

            migrationBuilder.DropTable(
                name: "generation_contents");

            migrationBuilder.DropTable(
                name: "operator_settings");

            migrationBuilder.DropTable(
                name: "spend_alerts");

            migrationBuilder.DropIndex(
                name: "IX_accounts_SettingsUpdatedAt",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "AlertThresholds",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "AlertWebhookUrl",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "CreditBaseline",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "CreditBaselineAt",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "DefaultModel",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "ExcludeTrainingProviders",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "SettingsUpdatedAt",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "StorePrompts",
                table: "accounts");
        }
    }
}
