using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContractDeployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_batches_FirstSequence",
                table: "batches");

            migrationBuilder.AddColumn<byte[]>(
                name: "LedgerContract",
                table: "batches",
                type: "BLOB",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "deployments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    ProvenanceLedger = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    ModelRegistry = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    PaymentChannels = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: true),
                    DeploymentBlock = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_batches_LedgerContract_FirstSequence",
                table: "batches",
                columns: new[] { "LedgerContract", "FirstSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deployments_ProvenanceLedger",
                table: "deployments",
                column: "ProvenanceLedger",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deployments");

            migrationBuilder.DropIndex(
                name: "IX_batches_LedgerContract_FirstSequence",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "LedgerContract",
                table: "batches");

            migrationBuilder.CreateIndex(
                name: "IX_batches_FirstSequence",
                table: "batches",
                column: "FirstSequence",
                unique: true);
        }
    }
}
