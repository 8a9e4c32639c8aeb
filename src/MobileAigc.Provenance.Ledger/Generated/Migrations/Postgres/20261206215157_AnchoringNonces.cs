using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AnchoringNonces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MaxFeePerGas",
                table: "batches",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MaxPriorityFeePerGas",
                table: "batches",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Nonce",
                table: "batches",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SentAt",
                table: "batches",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MaxFeePerGas",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "MaxPriorityFeePerGas",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "Nonce",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "SentAt",
                table: "batches");
        }
    }
}
