using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ManifestStores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "manifest_stores",
                columns: table => new
                {
                    RecordDigest = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    ManifestLabel = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Store = table.Column<byte[]>(type: "bytea", nullable: false),
                    StoreHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manifest_stores", x => x.RecordDigest);
                });

            migrationBuilder.CreateIndex(
                name: "IX_manifest_stores_ManifestLabel",
                table: "manifest_stores",
                column: "ManifestLabel",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "manifest_stores");
        }
    }
}
