using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VersionedRecordsAndCreatorProofs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CreatorAuthentication",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<byte[]>(
                name: "CreatorProofId",
                table: "records",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CreatorProofJson",
                table: "records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Extensions",
                table: "records",
                type: "BLOB",
                maxLength: 32,
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_records_CreatorProofId",
                table: "records",
                column: "CreatorProofId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_CreatorProofId",
                table: "records");

            migrationBuilder.DropColumn(
                name: "CreatorAuthentication",
                table: "records");

            migrationBuilder.DropColumn(
                name: "CreatorProofId",
                table: "records");

            migrationBuilder.DropColumn(
                name: "CreatorProofJson",
                table: "records");

            migrationBuilder.DropColumn(
                name: "Extensions",
                table: "records");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "records");
        }
    }
}
