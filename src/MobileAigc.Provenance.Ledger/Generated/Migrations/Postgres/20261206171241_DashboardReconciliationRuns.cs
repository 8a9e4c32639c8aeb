using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DashboardReconciliationRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reconciliation_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CheckedAt = table.Column<long>(type: "bigint", nullable: false),
                    ChainHead = table.Column<long>(type: "bigint", nullable: false),
                    BatchesChecked = table.Column<int>(type: "integer", nullable: false),
                    Ok = table.Column<int>(type: "integer", nullable: false),
                    Pending = table.Column<int>(type: "integer", nullable: false),
                    Differing = table.Column<int>(type: "integer", nullable: false),
                    DifferencesJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reconciliation_runs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_batches_AnchoredAt",
                table: "batches",
                column: "AnchoredAt");

            migrationBuilder.CreateIndex(
                name: "IX_reconciliation_runs_CheckedAt",
                table: "reconciliation_runs",
                column: "CheckedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reconciliation_runs");

            migrationBuilder.DropIndex(
                name: "IX_batches_AnchoredAt",
                table: "batches");
        }
    }
}
