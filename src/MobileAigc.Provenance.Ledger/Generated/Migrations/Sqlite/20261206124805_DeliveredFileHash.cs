using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveredFileHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "DeliveredFileHash",
                table: "records",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "DeliveredFileSignature",
                table: "records",
                type: "BLOB",
                maxLength: 65,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_records_DeliveredFileHash_Id",
                table: "records",
                columns: new[] { "DeliveredFileHash", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_DeliveredFileHash_Id",
                table: "records");

            migrationBuilder.DropColumn(
                name: "DeliveredFileHash",
                table: "records");

            migrationBuilder.DropColumn(
                name: "DeliveredFileSignature",
                table: "records");
        }
    }
}
