using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ModelOwnerChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "model_owner_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ModelHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    PreviousOwner = table.Column<byte[]>(type: "bytea", maxLength: 20, nullable: false),
                    NewOwner = table.Column<byte[]>(type: "bytea", maxLength: 20, nullable: false),
                    BlockNumber = table.Column<long>(type: "bigint", nullable: false),
                    LogIndex = table.Column<long>(type: "bigint", nullable: false),
                    TransactionHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_owner_changes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_models_ParentHash",
                table: "models",
                column: "ParentHash");

            migrationBuilder.CreateIndex(
                name: "IX_model_owner_changes_BlockNumber_LogIndex",
                table: "model_owner_changes",
                columns: new[] { "BlockNumber", "LogIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_owner_changes_ModelHash_Id",
                table: "model_owner_changes",
                columns: new[] { "ModelHash", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "model_owner_changes");

            migrationBuilder.DropIndex(
                name: "IX_models_ParentHash",
                table: "models");
        }
    }
}
