using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecordPdq : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "PdqHash",
                table: "records",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PdqQuality",
                table: "records",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PdqHash",
                table: "records");

            migrationBuilder.DropColumn(
                name: "PdqQuality",
                table: "records");
        }
    }
}
