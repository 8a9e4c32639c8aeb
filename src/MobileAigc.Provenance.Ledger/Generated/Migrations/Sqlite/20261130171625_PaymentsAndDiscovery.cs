using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaymentsAndDiscovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Endpoint",
                table: "nodes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ParentHash",
                table: "models",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "channels",
                columns: table => new
                {
                    ChannelId = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Creator = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Provider = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Token = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Deposit = table.Column<string>(type: "TEXT", nullable: false),
                    Paid = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastNonce = table.Column<long>(type: "INTEGER", nullable: false),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Refund = table.Column<string>(type: "TEXT", nullable: false),
                    OpenedBlock = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_channels", x => x.ChannelId);
                });

            migrationBuilder.CreateTable(
                name: "settlements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ChannelId = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Provider = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Token = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Nonce = table.Column<long>(type: "INTEGER", nullable: false),
                    CumulativeAmount = table.Column<string>(type: "TEXT", nullable: false),
                    Payment = table.Column<string>(type: "TEXT", nullable: false),
                    Royalty = table.Column<string>(type: "TEXT", nullable: false),
                    SettledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BlockNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    LogIndex = table.Column<long>(type: "INTEGER", nullable: false),
                    TransactionHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "royalty_payments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SettlementId = table.Column<long>(type: "INTEGER", nullable: false),
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Recipient = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Amount = table.Column<string>(type: "TEXT", nullable: false),
                    Token = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    SettledAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_royalty_payments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_royalty_payments_settlements_SettlementId",
                        column: x => x.SettlementId,
                        principalTable: "settlements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_channels_Creator",
                table: "channels",
                column: "Creator");

            migrationBuilder.CreateIndex(
                name: "IX_channels_ModelHash",
                table: "channels",
                column: "ModelHash");

            migrationBuilder.CreateIndex(
                name: "IX_channels_Provider",
                table: "channels",
                column: "Provider");

            migrationBuilder.CreateIndex(
                name: "IX_royalty_payments_ModelHash_Id",
                table: "royalty_payments",
                columns: new[] { "ModelHash", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_royalty_payments_Recipient_Id",
                table: "royalty_payments",
                columns: new[] { "Recipient", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_royalty_payments_SettlementId",
                table: "royalty_payments",
                column: "SettlementId");

            migrationBuilder.CreateIndex(
                name: "IX_settlements_BlockNumber_LogIndex",
                table: "settlements",
                columns: new[] { "BlockNumber", "LogIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_settlements_ChannelId_Id",
                table: "settlements",
                columns: new[] { "ChannelId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_ModelHash_Id",
                table: "settlements",
                columns: new[] { "ModelHash", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_Provider_Id",
                table: "settlements",
                columns: new[] { "Provider", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_SettledAt_Id",
                table: "settlements",
                columns: new[] { "SettledAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels");

            migrationBuilder.DropTable(
                name: "royalty_payments");

            migrationBuilder.DropTable(
                name: "settlements");

            migrationBuilder.DropColumn(
                name: "Endpoint",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "ParentHash",
                table: "models");
        }
    }
}
