using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Availability;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Web3;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Availability;

/// <summary>
/// <c>provenance ledger rebuild</c>: a new ledger database from the chain's <c>BatchAnchored</c> events and copies of
/// records' evidence (ledger JSON exports, whole or one node's), for when the ledger's database is lost or
/// withheld. An operator command on a database, like <c>ledger reconcile</c>, rather than an admin route: it runs
/// before any ledger does (a ledger cannot start usefully on the empty database it would fill), reads files the operator
/// holds, and leaves nothing listening. Exit codes: 0 when every anchored record was placed and nothing was refused,
/// 2 when the rebuild ran but records are missing or copies were refused (listed), 1 when it could not run.
/// </summary>
internal static class LedgerRebuildCommand
{
    /// <summary>The exit code when the rebuild ran and could not place everything.</summary>
    public const int Incomplete = 2;

    public static Command Create()
    {
        var provider = new Option<string>("--database-provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string>("--connection") { Description = "The new database: a PostgreSQL connection string, or a SQLite file (created) or connection string.", Required = true };
        var rpc = new Option<string>("--rpc") { Description = "The chain node's JSON-RPC URL.", Required = true };
        var chainId = new Option<long>("--chain-id") { Description = "The chain id the node must report (31337 for anvil).", Required = true };
        var ledger = new Option<string>("--ledger") { Description = "The ProvenanceLedger contract address.", Required = true };
        var anchorer = new Option<string>("--anchorer") { Description = "The ledger's anchorer address: its batches are the ones restored.", Required = true };
        var deploymentBlock = new Option<long>("--deployment-block") { Description = "The block to start reading events at.", DefaultValueFactory = _ => 0 };
        var from = new Option<FileInfo[]>("--from")
        {
            Description = "A copy of records' evidence (a ledger's JSON export, whole or one node's); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var rebuild = new Command("rebuild", "Rebuild a lost ledger database from the chain's BatchAnchored events and copies of records' evidence; exit 2 when anything could not be placed.")
        {
            provider, connection, rpc, chainId, ledger, anchorer, deploymentBlock, from,
        };
        rebuild.SetAction((parse, cancellationToken) => CliErrors.RunAsync("ledger rebuild", () => RunAsync(
            parse.GetValue(provider)!, parse.GetValue(connection)!, parse.GetValue(rpc)!, parse.GetValue(chainId), parse.GetValue(ledger)!,
            parse.GetValue(anchorer)!, parse.GetValue(deploymentBlock), parse.GetValue(from)!, cancellationToken)));
        return rebuild;
    }

    private static async Task<int> RunAsync(
        string provider, string connection, string rpcText, long chainId, string ledger, string anchorer, long deploymentBlock,
        FileInfo[] copies, CancellationToken cancellationToken)
    {
        if (!EvmAddress.TryParse(ledger, out var ledgerAddress) || !EvmAddress.TryParse(anchorer, out var anchorerAddress))
        {
            throw new ArgumentException($"--ledger and --anchorer must be addresses (0x followed by 40 hex digits); got '{ledger}' and '{anchorer}'.");
        }

        if (deploymentBlock < 0 || chainId < 1)
        {
            throw new ArgumentException("--deployment-block must be 0 or more and --chain-id 1 or more.");
        }

        if (copies.FirstOrDefault(c => !c.Exists) is { } missing)
        {
            throw new FileNotFoundException($"No evidence file at '{missing.FullName}'.");
        }

        var chain = await ChainConnection.OpenAsync(rpcText);
        if (chain.ChainId != chainId)
        {
            throw new ArgumentException($"The node at {chain.Rpc} is on chain {chain.ChainId}, not {chainId}.");
        }

        var target = new RebuildTarget(chainId, ledgerAddress, anchorerAddress, deploymentBlock);
        var rebuilder = new LedgerRebuilder(new LedgerDbContextFactory(DatabaseOptions(provider, connection)), new Web3(chain.Rpc.ToString()), target);
        RebuildReport report;
        try
        {
            report = await rebuilder.RebuildAsync(ReadAllAsync(copies, cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is LedgerRebuildException or EvidenceFileException or DbUpdateException or System.Data.Common.DbException)
        {
            throw new InvalidOperationException(e.Message, e);
        }

        Print(report);
        return report.IsComplete ? 0 : Incomplete;
    }

    private static async IAsyncEnumerable<EvidenceEntry> ReadAllAsync(FileInfo[] copies, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var copy in copies)
        {
            await foreach (var entry in EvidenceFile.ReadAsync(copy.FullName, cancellationToken))
            {
                yield return entry;
            }
        }
    }

    // Unlike reconcile, a missing SQLite file is what a rebuild expects: it creates the new database there.
    private static LedgerDatabaseOptions DatabaseOptions(string provider, string connection) =>
        provider == "postgres"
            ? new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = connection }
            : new LedgerDatabaseOptions
            {
                Provider = LedgerDatabaseProvider.Sqlite,
                ConnectionString = connection.Contains('=', StringComparison.Ordinal)
                    ? connection
                    : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = connection, Pooling = false }.ToString(),
            };

    private static void Print(RebuildReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        if (report.Refused.Count > 0)
        {
            var refused = new Table().AddColumns("copy", "record", "refused", "details");
            foreach (var r in report.Refused)
            {
                refused.AddRow(Markup.Escape(r.Source), Markup.Escape(r.RecordDigest?.ToString() ?? "-"), $"[red]{Kebab(r.Reason)}[/]", Markup.Escape(r.Detail));
            }

            AnsiConsole.Write(refused);
        }

        foreach (var batch in report.Incomplete)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"batch {batch.ChainBatchId.ToString(inv)} (root {batch.Root}): {batch.Placed.ToString(inv)} of {batch.RecordCount.ToString(inv)} records placed; the others' proofs are in no copy given"));
        }

        AnsiConsole.MarkupLine(Markup.Escape(
            $"blocks {report.FromBlock.ToString(inv)}..{report.ToBlock.ToString(inv)}: {report.BatchesRestored.ToString(inv)} batches restored, " +
            $"{report.RecordsPlaced.ToString(inv)} records placed, {report.DuplicatesSkipped.ToString(inv)} duplicates skipped, " +
            $"{report.Incomplete.Count.ToString(inv)} incomplete batches, {report.Refused.Count.ToString(inv)} refused"));
    }

    private static string Kebab(RebuildRefusal reason) => reason switch
    {
        RebuildRefusal.NoEvidence => "no-evidence",
        RebuildRefusal.BadEvidence => "bad-evidence",
        RebuildRefusal.OtherDeployment => "other-deployment",
        RebuildRefusal.RootNotAnchored => "root-not-anchored",
        RebuildRefusal.OtherAnchorer => "other-anchorer",
        RebuildRefusal.PositionConflict => "position-conflict",
        RebuildRefusal.RecordConflict => "record-conflict",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
