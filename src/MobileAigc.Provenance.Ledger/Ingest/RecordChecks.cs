using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// The checks a submitted record passes before it is stored, in the order <see cref="RecordIngestor"/> runs them: its
/// node's signature and its fields (in parallel, no database), the registry mirror, the creator's payment channel, the
/// node's quota, and the delivered-file statement. Each check fills in a refusal for the records it refuses and leaves
/// the others to the next. Changes when the rules for accepting a record change; thread-safe.
/// </summary>
internal sealed class RecordChecks(
    IDbContextFactory<LedgerDbContext> databases, RecordSignatureVerifier verifier, RegistryMirror registry, CreatorProofChecker creatorProofs,
    RecordIngestOptions options, NodeIngestQuota quota, DeliveredFileCheck deliveredFileCheck, PreviousDomainSigners? previousDomains, int parallelism)
{
    private readonly IDbContextFactory<LedgerDbContext> _databases = databases;
    private readonly RecordSignatureVerifier _verifier = verifier;
    private readonly RegistryMirror _registry = registry;
    private readonly CreatorProofChecker _creators = creatorProofs;
    private readonly RecordIngestOptions _options = options;
    private readonly NodeIngestQuota _quota = quota;
    private readonly DeliveredFileCheck _deliveredFiles = deliveredFileCheck;
    private readonly PreviousDomainSigners? _previousDomains = previousDomains;
    private readonly int _parallelism = parallelism;

    /// <summary>Signature, version, fields, timestamps and creator proof of every record, in parallel; fills digests, creators and refusals.</summary>
    public void CheckSignaturesAndFields(
        IReadOnlyList<SignedProvenanceRecord> records, DateTimeOffset now, Bytes32[] digests, CreatorClaimCheck[] creators,
        RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var latest = (ulong)(now + _options.MaxFutureSkew).ToUnixTimeSeconds();
        var earliest = (ulong)Math.Max(0, (now - _options.MaxPastSkew).ToUnixTimeSeconds());
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, i =>
        {
            var (record, signature) = (records[i].Record, records[i].Signature);
            // The common case compares address bytes; the signer's checksummed address is only worth building for a refusal.
            var signedByNode = _verifier.IsSignedByNode(record, signature, out var digest);
            digests[i] = digest;
            if (!signedByNode)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.InvalidSignature, _previousDomains?.SignedFor(record, signature) is { } previous
                    ? $"The record is signed for a previous deployment ({previous}); since the contract upgrade this ledger accepts records " +
                      $"signed for ProvenanceLedger {_verifier.Domain.VerifyingContract} only. The node must drain its outbox before it switches (docs/upgrades.md)."
                    : _verifier.TryRecoverSigner(record, signature, out var signer)
                        ? $"The record is signed by {signer}, not by its node {record.Node} (or a field was changed after signing)."
                        : "The signature recovers to no public key (r is zero, too large or not on the curve).");
            }
            else if (!ProvenanceRecordVersions.IsSupported(record.Version))
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.UnsupportedVersion, string.Create(CultureInfo.InvariantCulture,
                    $"The record's version {record.Version} is not one this ledger reads (versions {ProvenanceRecordVersions.V1} to {ProvenanceRecordVersions.Latest})."));
            }
            else if (ProvenanceRecordVersions.Check(records[i]) is { } malformed)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.InvalidRecord, malformed);
            }
            else if (record.Timestamp > latest)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.InvalidTimestamp, string.Create(CultureInfo.InvariantCulture,
                    $"The record's timestamp {record.Timestamp} is more than {_options.MaxFutureSkew} ahead of the ledger's clock ({now.ToUnixTimeSeconds()})."));
            }
            else if (record.Timestamp < earliest)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.TimestampTooOld, string.Create(CultureInfo.InvariantCulture,
                    $"The record's timestamp {record.Timestamp} is more than {_options.MaxPastSkew} behind the ledger's clock ({now.ToUnixTimeSeconds()})."));
            }
            else if (record.Sequence > long.MaxValue)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.InvalidRecord, string.Create(CultureInfo.InvariantCulture,
                    $"The record's sequence {record.Sequence} is above {long.MaxValue}, the largest the ledger stores."));
            }
            else
            {
                var creator = _creators.Check(records[i]);
                creators[i] = creator;
                if (!creator.Holds)
                {
                    outcomes[i] = RecordIngestOutcome.Refused(digest, creator.Failure == CreatorClaimFailure.NotAuthenticated
                        ? RecordRefusalReason.CreatorNotAuthenticated
                        : RecordRefusalReason.InvalidCreatorProof, creator.Detail ?? "The creator proof does not hold.");
                }
            }
        });
    }

    /// <summary>Refuses the records whose model is not registered or whose node does not serve it (two queries of the mirror).</summary>
    public async Task CheckRegistryAsync(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var snapshot = await _registry.SnapshotAsync(
            pending.Select(i => records[i].Record.ModelHash).ToHashSet(), pending.Select(i => records[i].Record.Node).ToHashSet(), cancellationToken);
        foreach (var i in pending)
        {
            var record = records[i].Record;
            if (!snapshot.IsModelRegistered(record.ModelHash))
            {
                outcomes[i] = RecordIngestOutcome.Refused(digests[i], RecordRefusalReason.UnknownModel,
                    $"The model {record.ModelHash} is not registered in the ModelRegistry (as far as the ledger has read the chain).");
            }
            else if (!snapshot.IsNodeAuthorized(record.Node, record.ModelHash))
            {
                outcomes[i] = RecordIngestOutcome.Refused(digests[i], RecordRefusalReason.NodeNotAuthorized,
                    $"The node {record.Node} is not registered for the model {record.ModelHash}.");
            }
        }
    }

    /// <summary>Last of the refusals: only records signed by a registered node, with a valid creator proof, spend that node's quota.</summary>
    public void ChargeQuota(IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes)
    {
        foreach (var node in Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null).GroupBy(i => records[i].Record.Node))
        {
            var (granted, reopensAt) = _quota.Take(node.Key, node.Count());
            foreach (var i in node.Skip(granted))
            {
                outcomes[i] = RecordIngestOutcome.Refused(digests[i], RecordRefusalReason.QuotaExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"The node {node.Key} has submitted {_options.NodeQuotaRecords} records within {_options.NodeQuotaWindow}; retry after {reopensAt:O}."));
            }
        }
    }

    /// <summary>After every refusal and the quota: a statement costs a second signature recovery, spent only on records that will be stored.</summary>
    public DeliveredFileVerdict[] CheckDeliveredFiles(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var verdicts = new DeliveredFileVerdict[records.Count];
        var sent = Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null && records[i].DeliveredFile is not null).ToList();
        Parallel.ForEach(sent, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            i => verdicts[i] = _deliveredFiles.Check(records[i], digests[i]));
        return verdicts;
    }

    /// <summary>Refuses the records whose creator proof is a voucher of a channel the ledger does not know as open (one query).</summary>
    public async Task CheckCreatorChannelsAsync(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, CreatorClaimCheck[] creators, RecordIngestOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var paid = Enumerable.Range(0, records.Count)
            .Where(i => outcomes[i] is null && creators[i].Authentication == CreatorAuthentication.ChannelVoucher)
            .ToDictionary(i => i, i => records[i]);
        if (paid.Count == 0)
        {
            return;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        foreach (var (i, (reason, detail)) in await CreatorProofChecker.CheckChannelsAsync(db, paid, cancellationToken))
        {
            outcomes[i] = RecordIngestOutcome.Refused(digests[i], reason, detail);
        }
    }
}
