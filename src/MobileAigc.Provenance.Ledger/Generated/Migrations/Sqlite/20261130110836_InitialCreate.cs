using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MobileAigc.Provenance.Ledger.Generated.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "batches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Root = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TransactionHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true),
                    BlockNumber = table.Column<long>(type: "INTEGER", nullable: true),
                    BlockHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true),
                    ChainBatchId = table.Column<long>(type: "INTEGER", nullable: true),
                    GasUsed = table.Column<long>(type: "INTEGER", nullable: true),
                    AnchoredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SubmitAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "chain_cursors",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    NextBlock = table.Column<long>(type: "INTEGER", nullable: false),
                    LastBlockHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chain_cursors", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Holder = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Generation = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "models",
                columns: table => new
                {
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Owner = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    MetadataUri = table.Column<string>(type: "TEXT", nullable: false),
                    PricePerGeneration = table.Column<string>(type: "TEXT", nullable: false),
                    RoyaltyBasisPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    RegisteredBlock = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_models", x => x.ModelHash);
                });

            migrationBuilder.CreateTable(
                name: "nodes",
                columns: table => new
                {
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Operator = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Registered = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_nodes", x => x.Node);
                });

            migrationBuilder.CreateTable(
                name: "refused_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Digest = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    NodeSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    ConflictsWith = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    SignedRecordJson = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refused_records", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Digest = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ContentHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    PerceptualHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    Creator = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    CreatorCommitment = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    PromptCommitment = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ParametersHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    WatermarkId = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    NodeSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<byte[]>(type: "BLOB", maxLength: 65, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BatchId = table.Column<long>(type: "INTEGER", nullable: true),
                    LeafIndex = table.Column<int>(type: "INTEGER", nullable: true),
                    Proof = table.Column<byte[]>(type: "BLOB", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevocationReason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_records", x => x.Id);
                    table.ForeignKey(
                        name: "FK_records_batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "batches",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "node_models",
                columns: table => new
                {
                    Node = table.Column<byte[]>(type: "BLOB", maxLength: 20, nullable: false),
                    ModelHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_node_models", x => new { x.Node, x.ModelHash });
                    table.ForeignKey(
                        name: "FK_node_models_nodes_Node",
                        column: x => x.Node,
                        principalTable: "nodes",
                        principalColumn: "Node",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_batches_FirstSequence",
                table: "batches",
                column: "FirstSequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_batches_Root",
                table: "batches",
                column: "Root",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_batches_State",
                table: "batches",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_models_Owner",
                table: "models",
                column: "Owner");

            migrationBuilder.CreateIndex(
                name: "IX_nodes_Operator",
                table: "nodes",
                column: "Operator");

            migrationBuilder.CreateIndex(
                name: "IX_records_BatchId_Id",
                table: "records",
                columns: new[] { "BatchId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_records_ContentHash",
                table: "records",
                column: "ContentHash");

            migrationBuilder.CreateIndex(
                name: "IX_records_Creator_Id",
                table: "records",
                columns: new[] { "Creator", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_records_Digest",
                table: "records",
                column: "Digest",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_records_ModelHash_Id",
                table: "records",
                columns: new[] { "ModelHash", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_records_Node_NodeSequence",
                table: "records",
                columns: new[] { "Node", "NodeSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_records_Timestamp_Id",
                table: "records",
                columns: new[] { "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_records_WatermarkId",
                table: "records",
                column: "WatermarkId");

            migrationBuilder.CreateIndex(
                name: "IX_refused_records_Node_NodeSequence",
                table: "refused_records",
                columns: new[] { "Node", "NodeSequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chain_cursors");

            migrationBuilder.DropTable(
                name: "leases");

            migrationBuilder.DropTable(
                name: "models");

            migrationBuilder.DropTable(
                name: "node_models");

            migrationBuilder.DropTable(
                name: "records");

            migrationBuilder.DropTable(
                name: "refused_records");

            migrationBuilder.DropTable(
                name: "nodes");

            migrationBuilder.DropTable(
                name: "batches");
        }
    }
}
