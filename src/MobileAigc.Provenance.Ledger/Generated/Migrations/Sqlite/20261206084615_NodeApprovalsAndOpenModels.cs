using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NodeApprovalsAndOpenModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "OpenToAnyNode",
                table: "models",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "model_node_approvals",
                columns: table => new
                {
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_node_approvals", x => new { x.ModelHash, x.Node });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "model_node_approvals");

            migrationBuilder.DropColumn(
                name: "OpenToAnyNode",
                table: "models");
        }
    }
}
