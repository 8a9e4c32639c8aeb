using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RevocationsBeforeRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "revocations",
                columns: table => new
                {
                    Digest = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    RevokedBy = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    BlockNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Applied = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revocations", x => x.Digest);
                });

            migrationBuilder.CreateIndex(
                name: "IX_revocations_Applied",
                table: "revocations",
                column: "Applied");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revocations");
        }
    }
}
