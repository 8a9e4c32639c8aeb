using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LookupIndexesWithId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_ContentHash",
                table: "records");

            migrationBuilder.DropIndex(
                name: "IX_records_WatermarkId",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "IX_records_ContentHash_Id",
                table: "records",
                columns: new[] { "ContentHash", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_records_WatermarkId_Id",
                table: "records",
                columns: new[] { "WatermarkId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_records_ContentHash_Id",
                table: "records");

            migrationBuilder.DropIndex(
                name: "IX_records_WatermarkId_Id",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "IX_records_ContentHash",
                table: "records",
                column: "ContentHash");

            migrationBuilder.CreateIndex(
                name: "IX_records_WatermarkId",
                table: "records",
                column: "WatermarkId");
        }
    }
}
