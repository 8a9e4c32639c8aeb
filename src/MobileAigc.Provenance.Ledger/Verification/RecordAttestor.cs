using Microsoft.EntityFrameworkCore;
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
/// <param name="ModelIsDerivative">True when the registry mirror names a parent of the model: only then has it a lineage worth walking.</param>
public sealed record RecordAttestation(
    VerifiedRecord? Record, VerifiedNode Node, VerifiedModel Model, SignatureCheck Signature, AnchoringCheck? Anchoring, RecordRevocation? Revocation,
    bool ModelIsDerivative = false);

/// <summary>
/// Re-checks what the ledger stores about a record, so that an answer never rests on the ledger's word:
/// the node's signature over the stored fields, the node and model as the registry mirror knows them,
/// the stored Merkle proof against the batch root, and (for an anchored batch) the root against the chain:
/// now, or once for good when the root is final (<see cref="AnchoredRootCheck"/>). A record belongs to the deployment its batch is anchored on (the current one
/// while it waits): its signature is checked in that deployment's domain and its root on that deployment's
/// contract, by that deployment's anchorers, so records of a previous deployment stay verifiable after a
/// contract upgrade.
/// </summary>
/// <remarks>
/// Thread-safe; meant to be a singleton. The chain being away never fails an attestation: the
/// anchoring check then says <c>rootCheckedOnChain: false</c> with the reason, unless the root was already read final
/// (<see cref="AnchoredRootCheck"/>).
/// </remarks>
public sealed class RecordAttestor
{
    private readonly LedgerChain _chain;
    private readonly AnchoredRootCheck _roots;
    private readonly Dictionary<EvmAddress, DeploymentVerifiers> _verifiers;
    private const int DefaultSignerCapacity = 4_096;

    private readonly ModelNames _modelNames;
    private readonly RecoveredSignerCache _signers;

    /// <summary>
    /// Creates the attestor for <paramref name="chain"/>'s current and previous deployments, checking batch roots with
    /// <paramref name="roots"/>; models are named by <paramref name="modelNames"/> (none when null); signers recovered once are
    /// kept in <paramref name="signers"/> (a small cache of its own when null).
    /// </summary>
    public RecordAttestor(LedgerChain chain, AnchoredRootCheck roots, ModelNames? modelNames = null, RecoveredSignerCache? signers = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(roots);
        _chain = chain;
        _roots = roots;
        _verifiers = chain.Deployments.ToDictionary(d => d.Address, d => new DeploymentVerifiers(
            d, new RecordSignatureVerifier(d.Domain), d.Channels is { } channels ? new PaymentVoucherVerifier(channels.Domain) : null));
        _modelNames = modelNames ?? ModelNames.None;
        _signers = signers ?? new RecoveredSignerCache(DefaultSignerCapacity);
    }

    /// <summary>Attests <paramref name="stored"/>: signature, node, model, proof, on-chain root and revocation.</summary>
    public async Task<RecordAttestation> AttestAsync(LedgerDbContext db, StoredRecord stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(stored);
        var rows = await AttestationRows.ReadAsync(db, stored, cancellationToken).ConfigureAwait(false);
        var (node, model, derivative) = Describe(stored.Node, rows.Node, stored.ModelHash, rows.Model);
        var batch = rows.Batch;
        // Unbatched records were accepted for the current deployment (a switch waits until none is left).
        var deployment = batch?.LedgerContract is { } contract ? _verifiers.GetValueOrDefault(contract) : _verifiers[_chain.Current.Address];
        var (record, signature) = CheckSignature(stored, deployment, batch?.LedgerContract);
        var anchoring = await CheckAnchoringAsync(stored, batch, deployment, cancellationToken).ConfigureAwait(false);
        return new RecordAttestation(
            record is null ? null : new VerifiedRecord(
                stored.Digest, record, "0x" + Convert.ToHexStringLower(stored.Signature), stored.ReceivedAt,
                SignedAt(record), batch is { State: AnchorBatchState.Anchored } ? batch.AnchoredAt : null, CheckCreator(stored, record, deployment)),
            node,
            model,
            signature,
            anchoring,
            stored.RevokedAt is { } revokedAt ? new RecordRevocation(revokedAt, stored.RevocationReason) : null,
            derivative);
    }

    /// <summary>
    /// The node and model as the registry mirror knows them (operator, endpoint, owner, terms), the model's name from its
    /// manifest (<see cref="ModelNames"/>); unknown fields stay null; and whether the mirror names a parent of the model.
    /// </summary>
    public async Task<(VerifiedNode Node, VerifiedModel Model, bool ModelIsDerivative)> DescribeOriginAsync(
        LedgerDbContext db, EvmAddress nodeAddress, Bytes32 modelHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var node = await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Node == nodeAddress, cancellationToken).ConfigureAwait(false);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelHash == modelHash, cancellationToken).ConfigureAwait(false);
        return Describe(nodeAddress, node, modelHash, model);
    }

    private (VerifiedNode Node, VerifiedModel Model, bool ModelIsDerivative) Describe(EvmAddress nodeAddress, MirroredNode? node, Bytes32 modelHash, MirroredModel? model) =>
        (
            new VerifiedNode(nodeAddress, node?.Operator, node?.Registered, AdvertisedEndpoint(node?.Endpoint)),
            new VerifiedModel(modelHash, model?.Owner, model?.MetadataUri, model?.PricePerGeneration, model?.RoyaltyBasisPoints, model?.Active, _modelNames.Of(modelHash)),
            model?.ParentHash is not null);

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
    private static CreatorCheck CheckCreator(StoredRecord stored, ProvenanceRecord record, DeploymentVerifiers? deployment)
    {
        if (deployment is null)
        {
            return new CreatorCheck(stored.CreatorAuthentication, false, null, "The record's deployment is not configured: its creator proof cannot be checked.");
        }

        CreatorProof? proof;
        try
        {
            proof = stored.ToSignedRecord().CreatorProof;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidSignatureException)
        {
            return new CreatorCheck(stored.CreatorAuthentication, false, null, "The stored creator proof is malformed: the database was altered.");
        }

        var check = CreatorClaims.Check(record, proof, deployment.Signatures.DomainSeparator, deployment.Vouchers);
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

    private (ProvenanceRecord? Record, SignatureCheck Check) CheckSignature(StoredRecord stored, DeploymentVerifiers? deployment, EvmAddress? contract)
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

        if (deployment is null)
        {
            return (record, new SignatureCheck(false, null,
                $"The record's batch is anchored on ProvenanceLedger {contract}, which this ledger does not list ({LedgerChainOptions.Section}:PreviousDeployments): " +
                "its domain is unknown, so the signature cannot be checked."));
        }

        var signatures = deployment.Signatures;
        var digest = signatures.Digest(record);
        if (digest != stored.Digest)
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

        if (!_signers.TryRecover(signatures, record, digest, signature, out var signer))
        {
            return (record, new SignatureCheck(false, null, "The stored signature recovers to no key."));
        }

        return signer == record.Node
            ? (record, new SignatureCheck(true, signer, $"The signature recovers to the record's node (EIP-712, domain of {deployment.Deployment})."))
            : (record, new SignatureCheck(false, signer, $"The signature recovers to {signer}, not to the record's node {record.Node}."));
    }

    private async Task<AnchoringCheck?> CheckAnchoringAsync(
        StoredRecord stored, AnchorBatch? batch, DeploymentVerifiers? deployment, CancellationToken cancellationToken)
    {
        if (RecordProofs.Of(stored, batch) is not { } inclusion)
        {
            return null;
        }

        // The contract's verifyInclusion is this same rule (OpenZeppelin's sorted-pair proof over the double-hashed leaf) plus
        // "the root is anchored": the proof is checked here, the root on chain, once it is final (AnchoredRootCheck).
        var proofValid = MerkleTree.Verify(inclusion.Root, stored.Digest, inclusion.Proof);
        var root = inclusion.Batch.State != BatchState.Anchored
            ? new RootCheckResult(ClaimCheckOutcome.NotChecked, $"The batch is {inclusion.Batch.State.ToString().ToLowerInvariant()}: its root is not confirmed on chain yet.", null, null)
            : deployment is null
                ? new RootCheckResult(ClaimCheckOutcome.NotChecked, $"The batch is anchored on ProvenanceLedger {batch!.LedgerContract}, which this ledger does not list: the root was not checked.", null, null)
                : await _roots.CheckAsync(deployment.Deployment, inclusion.Root, cancellationToken).ConfigureAwait(false);
        var (outcome, detail) = root.Outcome == ClaimCheckOutcome.Agrees && !proofValid
            ? (ClaimCheckOutcome.Disagrees, root.Detail + " But the stored proof does not lead from the record to that root.")
            : (root.Outcome, root.Detail);
        return new AnchoringCheck(inclusion, proofValid, outcome == ClaimCheckOutcome.Agrees, detail, root.Anchorer, outcome, deployment?.Deployment.ToApi(), root.Checkpoint);
    }

    /// <summary>The verifiers of one deployment's domains.</summary>
    private sealed record DeploymentVerifiers(LedgerDeployment Deployment, RecordSignatureVerifier Signatures, PaymentVoucherVerifier? Vouchers);

}
