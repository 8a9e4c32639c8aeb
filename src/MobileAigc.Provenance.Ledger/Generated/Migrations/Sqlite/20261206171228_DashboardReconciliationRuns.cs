using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChainHead = table.Column<long>(type: "INTEGER", nullable: false),
                    BatchesChecked = table.Column<int>(type: "INTEGER", nullable: false),
                    Ok = table.Column<int>(type: "INTEGER", nullable: false),
                    Pending = table.Column<int>(type: "INTEGER", nullable: false),
                    Differing = table.Column<int>(type: "INTEGER", nullable: false),
                    DifferencesJson = table.Column<string>(type: "TEXT", nullable: false)
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
