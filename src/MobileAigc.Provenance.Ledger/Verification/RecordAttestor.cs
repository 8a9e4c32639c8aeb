using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>Everything <see cref="RecordAttestor"/> re-checked about a stored record, for one answer.</summary>
/// <param name="Record">The record as stored; null when its fields are out of range (the database was altered).</param>
/// <param name="Node">The node that signed it, from the registry mirror.</param>
/// <param name="Model">The model that generated it, from the registry mirror.</param>
/// <param name="Signature">The signature re-check.</param>
/// <param name="Anchoring">Its Merkle proof and re-checks; null while it waits for its batch.</param>
/// <param name="Revocation">Set when revoked.</param>
public sealed record RecordAttestation(
    VerifiedRecord? Record, VerifiedNode Node, VerifiedModel Model, SignatureCheck Signature, AnchoringCheck? Anchoring, RecordRevocation? Revocation);

/// <summary>
/// Re-checks what the ledger stores about a record, so that an answer never rests on the ledger's word:
/// the node's signature over the stored fields, the node and model as the registry mirror knows them,
/// the stored Merkle proof against the batch root, and (for an anchored batch) the root and proof
/// against the chain, now.
/// </summary>
/// <remarks>
/// Thread-safe; meant to be a singleton. The chain being away never fails an attestation: the
/// anchoring check then says <c>rootCheckedOnChain: false</c> with the reason.
/// </remarks>
public sealed partial class RecordAttestor
{
    private readonly LedgerChain _chain;
    private readonly TimeSpan _onChainCheckTimeout;
    private readonly RecordSignatureVerifier _signatures;
    private readonly PaymentVoucherVerifier? _vouchers;
    private readonly ILogger<RecordAttestor> _logger;
    private readonly ModelNames _modelNames;

    /// <summary>
    /// Creates the attestor; signatures are checked in the domain of <paramref name="chain"/>'s ledger contract, models are
    /// named by <paramref name="modelNames"/> (none when null).
    /// </summary>
    public RecordAttestor(LedgerChain chain, IOptions<VerificationOptions> options, ILogger<RecordAttestor> logger, ModelNames? modelNames = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        _chain = chain;
        _onChainCheckTimeout = options.Value.OnChainCheckTimeout;
        _signatures = new RecordSignatureVerifier(chain.Domain);
        _vouchers = chain.Channels is { } channels ? new PaymentVoucherVerifier(channels.Domain) : null;
        _logger = logger;
        _modelNames = modelNames ?? ModelNames.None;
    }

    /// <summary>Attests <paramref name="stored"/>: signature, node, model, proof, on-chain root and revocation.</summary>
    public async Task<RecordAttestation> AttestAsync(LedgerDbContext db, StoredRecord stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(stored);
        var (node, model) = await DescribeOriginAsync(db, stored.Node, stored.ModelHash, cancellationToken).ConfigureAwait(false);
        var batch = stored.BatchId is { } batchId
            ? await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken).ConfigureAwait(false)
            : null;
        var (record, signature) = CheckSignature(stored);
        var anchoring = await CheckAnchoringAsync(stored, batch, cancellationToken).ConfigureAwait(false);
        return new RecordAttestation(
            record is null ? null : new VerifiedRecord(
                stored.Digest, record, "0x" + Convert.ToHexStringLower(stored.Signature), stored.ReceivedAt,
                SignedAt(record), batch is { State: AnchorBatchState.Anchored } ? batch.AnchoredAt : null, CheckCreator(stored, record)),
            node,
            model,
            signature,
            anchoring,
            stored.RevokedAt is { } revokedAt ? new RecordRevocation(revokedAt, stored.RevocationReason) : null);
    }

    /// <summary>
    /// The node and model as the registry mirror knows them (operator, endpoint, owner, terms), the model's name from its
    /// manifest (<see cref="ModelNames"/>); unknown fields stay null.
    /// </summary>
    public async Task<(VerifiedNode Node, VerifiedModel Model)> DescribeOriginAsync(
        LedgerDbContext db, EvmAddress nodeAddress, Bytes32 modelHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var node = await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Node == nodeAddress, cancellationToken).ConfigureAwait(false);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelHash == modelHash, cancellationToken).ConfigureAwait(false);
        return (
            new VerifiedNode(nodeAddress, node?.Operator, node?.Registered, AdvertisedEndpoint(node?.Endpoint)),
            new VerifiedModel(modelHash, model?.Owner, model?.MetadataUri, model?.PricePerGeneration, model?.RoyaltyBasisPoints, model?.Active, _modelNames.Of(modelHash)));
    }

    // The contract bounds only the endpoint's length: anything else it holds (a script: URL, markup) is not an endpoint and not shown.
    // The scope is the local development one, as the registry client reads it: the ledger cannot know the network its readers are in.
    private static string? AdvertisedEndpoint(string? text) =>
        NodeEndpoint.TryParse(text, EndpointScope.LocalDevelopment, out var endpoint, out _) ? endpoint.AbsoluteUri : null;

    // Ingest bounds the timestamp by the ledger's clock; a stored value beyond what a date can hold was altered.
    private static DateTimeOffset SignedAt(ProvenanceRecord record) =>
        record.Timestamp <= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds((long)record.Timestamp)
            : DateTimeOffset.MaxValue;

    // The stored proof is checked again, as the signature is: the answer never rests on the ledger's word.
    // A voucher's channel was checked against the chain at ingest; here its signature is.
    private CreatorCheck CheckCreator(StoredRecord stored, ProvenanceRecord record)
    {
        CreatorProof? proof;
        try
        {
            proof = stored.ToSignedRecord().CreatorProof;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidSignatureException)
        {
            return new CreatorCheck(stored.CreatorAuthentication, false, null, "The stored creator proof is malformed: the database was altered.");
        }

        var check = CreatorClaims.Check(record, proof, _signatures.DomainSeparator, _vouchers);
        if (!check.Holds)
        {
            return new CreatorCheck(stored.CreatorAuthentication, false, proof, check.Detail ?? "The creator proof does not hold.");
        }

        return new CreatorCheck(check.Authentication, check.Authentication == stored.CreatorAuthentication, proof, check.Authentication switch
        {
            CreatorAuthentication.None => "The record names no creator.",
            CreatorAuthentication.PrivateCommitment => "The record holds a salted commitment to a creator: it names nobody until the creator opens it.",
            CreatorAuthentication.CreatorSignature => $"The creator {record.Creator} signed the request (node, model, prompt commitment, nonce) in the ledger's domain.",
            _ => $"The creator {record.Creator} signed the voucher that paid; the ledger checked on accepting the record that the channel is theirs.",
        });
    }

    private (ProvenanceRecord? Record, SignatureCheck Check) CheckSignature(StoredRecord stored)
    {
        ProvenanceRecord record;
        try
        {
            record = stored.ToRecord();
        }
        catch (OverflowException)
        {
            return (null, new SignatureCheck(false, null, "The stored record has out-of-range fields (negative timestamp or sequence): the database was altered."));
        }

        if (_signatures.Digest(record) != stored.Digest)
        {
            return (record, new SignatureCheck(false, null, "The stored fields do not hash to the stored digest: the database was altered."));
        }

        EcdsaSignature signature;
        try
        {
            signature = EcdsaSignature.FromBytes(stored.Signature);
        }
        catch (InvalidSignatureException e)
        {
            return (record, new SignatureCheck(false, null, "The stored signature is malformed: " + e.Message));
        }

        if (!_signatures.TryRecoverSigner(record, signature, out var signer))
        {
            return (record, new SignatureCheck(false, null, "The stored signature recovers to no key."));
        }

        return signer == record.Node
            ? (record, new SignatureCheck(true, signer, "The signature recovers to the record's node (EIP-712, ledger contract domain)."))
            : (record, new SignatureCheck(false, signer, $"The signature recovers to {signer}, not to the record's node {record.Node}."));
    }

    private async Task<AnchoringCheck?> CheckAnchoringAsync(StoredRecord stored, AnchorBatch? batch, CancellationToken cancellationToken)
    {
        if (RecordProofs.Of(stored, batch) is not { } inclusion)
        {
            return null;
        }

        var proofValid = MerkleTree.Verify(inclusion.Root, stored.Digest, inclusion.Proof);
        var (outcome, detail, anchorer) = inclusion.Batch.State == BatchState.Anchored
            ? await CheckOnChainAsync(inclusion.Root, stored.Digest, inclusion.Proof, cancellationToken).ConfigureAwait(false)
            : (ClaimCheckOutcome.NotChecked, $"The batch is {inclusion.Batch.State.ToString().ToLowerInvariant()}: its root is not confirmed on chain yet.", null);
        return new AnchoringCheck(inclusion, proofValid, outcome == ClaimCheckOutcome.Agrees, detail, anchorer, outcome);
    }

    private async Task<(ClaimCheckOutcome Outcome, string Detail, EvmAddress? Anchorer)> CheckOnChainAsync(Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken)
    {
        try
        {
            var included = await _chain.Ledger.VerifyInclusionAsync(root, digest, proof, cancellationToken)
                .WaitAsync(_onChainCheckTimeout, cancellationToken).ConfigureAwait(false);
            if (!included)
            {
                return (ClaimCheckOutcome.Disagrees, $"ProvenanceLedger {_chain.Ledger.Address} does not confirm this root and proof.", null);
            }

            // The contract may allow other anchorers: a root proves this ledger's record only when this ledger's anchorer put it there.
            var anchorer = await _chain.Ledger.AnchorerOfRootAsync(root, cancellationToken)
                .WaitAsync(_onChainCheckTimeout, cancellationToken).ConfigureAwait(false);
            return anchorer is { } by && _chain.TrustedAnchorers.Contains(by)
                ? (ClaimCheckOutcome.Agrees, $"ProvenanceLedger {_chain.Ledger.Address} confirmed the root, anchored by this ledger's anchorer {by}, and the proof just now.", by)
                : (ClaimCheckOutcome.Disagrees, $"ProvenanceLedger {_chain.Ledger.Address} holds the root, but it was anchored by {anchorer}, "
                    + $"not by this ledger's anchorer(s) ({(_chain.TrustedAnchorers.Count == 0 ? "none configured: Ledger:Chain:TrustedAnchorers" : string.Join(", ", _chain.TrustedAnchorers))}).", anchorer);
        }
        catch (TimeoutException)
        {
            LogChainAway(_logger, null);
            return (ClaimCheckOutcome.NotChecked, $"The chain did not answer within {_onChainCheckTimeout.TotalSeconds:0.#} s; the root could not be re-checked now.", null);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogChainAway(_logger, e);
            return (ClaimCheckOutcome.NotChecked, "The chain could not be reached; the root could not be re-checked now.", null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification: the on-chain inclusion check failed; answering without it.")]
    private static partial void LogChainAway(ILogger logger, Exception? exception);
}
