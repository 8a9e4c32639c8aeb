using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Availability;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Ledger.Availability;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Availability;

/// <summary>
/// <c>provenance verify FILE --export EXPORT --rpc URL</c>: verifies a file without its ledger, from a copy of records'
/// evidence (the ledger's JSON export, whole or one node's) and a chain node: the file's hash finds its
/// record, the record's node signed it, its proof leads to a root, and the chain holds that root. Exit codes: 0
/// verified, 2 not verified (no record of the file in the copy, or a check fails), 1 when the check could not run.
/// </summary>
internal static class VerifyExportCommand
{
    /// <summary>The exit code when the check ran and the file is not verified.</summary>
    public const int NotVerified = 2;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to verify (an image or a text as delivered)." };
        var export = new Option<FileInfo>("--export") { Description = "A copy of records' evidence: the ledger's api/audit/export?format=json (whole or filtered to a node), or a JSON array of record evidence.", Required = true };
        var rpc = new Option<string>("--rpc") { Description = "A JSON-RPC URL of the chain the evidence names.", Required = true };
        var command = new Command("verify", "Verify a file without its ledger: from a copy of the records' evidence and the chain alone (exit 0 verified, 2 not verified).")
        {
            file, export, rpc,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync("verify", () =>
            RunAsync(parse.GetValue(file)!, parse.GetValue(export)!, parse.GetValue(rpc)!, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo file, FileInfo export, string rpcText, CancellationToken cancellationToken)
    {
        var bytes = await CliErrors.ReadInputAsync(file);
        if (!export.Exists)
        {
            throw new FileNotFoundException($"No evidence file at '{export.FullName}'.");
        }

        var hashes = ContentHashes(bytes);
        var connection = await ChainConnection.OpenAsync(rpcText);
        Console.WriteLine($"content     {string.Join(" or ", hashes)}");
        var found = 0;
        try
        {
            await foreach (var entry in EvidenceFile.ReadAsync(export.FullName, cancellationToken))
            {
                if (entry.Evidence is not { } evidence || !hashes.Contains(evidence.SignedRecord.Record.ContentHash))
                {
                    continue;
                }

                found++;
                if (await CheckAsync(evidence, connection, cancellationToken))
                {
                    Console.WriteLine("verified");
                    return 0;
                }
            }
        }
        catch (EvidenceFileException e)
        {
            throw new FormatException(e.Message, e);
        }

        Console.WriteLine(found == 0
            ? $"not verified: {export.Name} holds no anchored record of this content"
            : "not verified");
        return NotVerified;
    }

    private static async Task<bool> CheckAsync(RecordEvidence evidence, ChainConnection connection, CancellationToken cancellationToken)
    {
        var record = evidence.SignedRecord.Record;
        var inclusion = evidence.Inclusion;
        var deployment = evidence.Deployment;
        Console.WriteLine($"record      {inclusion.RecordDigest} (node {record.Node}, model {record.ModelHash}, node sequence {record.Sequence})");
        var fault = EvidenceCheck.Check(evidence);
        if (fault != EvidenceFault.None)
        {
            Console.WriteLine($"evidence    refused: {EvidenceCheck.Describe(fault)}");
            return false;
        }

        Console.WriteLine($"signature   ok: signed by node {record.Node} for {deployment.ProvenanceLedger} on chain {deployment.ChainId}");
        Console.WriteLine($"proof       ok: leaf {inclusion.LeafIndex} (ledger sequence {inclusion.LedgerSequence}) of root {inclusion.Root}");
        if (connection.ChainId != deployment.ChainId)
        {
            Console.WriteLine($"chain       not checked: the evidence is for chain {deployment.ChainId}, the node at {connection.Rpc} is on chain {connection.ChainId}");
            return false;
        }

        var anchoring = await AnchoredRoots.CheckAsync(new Web3(connection.Rpc.ToString()), evidence, cancellationToken);
        Console.WriteLine($"chain       {(anchoring.Anchored ? "ok" : "refused")}: {anchoring.Detail}");
        if (anchoring.Revoked)
        {
            Console.WriteLine($"revocation  the record is revoked on chain by its node's operator");
            return false;
        }

        return anchoring.Anchored;
    }

    // A record names the file's SHA-256 as delivered or, for an image with Content Credentials, without its store.
    private static IReadOnlySet<Bytes32> ContentHashes(byte[] bytes)
    {
        var hashes = new HashSet<Bytes32> { Bytes32.Sha256(bytes) };
        if (AssetContainers.Detect(bytes) is not null)
        {
            try
            {
                hashes.Add(AssetContainers.AssetHash(bytes));
            }
            catch (JumbfException)
            {
                // A store that cannot be cut out leaves the file's own hash to match.
            }
        }

        return hashes;
    }
}
