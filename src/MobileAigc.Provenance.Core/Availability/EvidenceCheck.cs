using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Availability;

/// <summary>What is wrong with a copy of a record's evidence, checked without the chain (<see cref="EvidenceCheck"/>).</summary>
public enum EvidenceFault
{
    /// <summary>Nothing: the record, its signature and its proof agree with each other and with the root.</summary>
    None,

    /// <summary>The record is not well formed for its version (extension data missing or not matching).</summary>
    MalformedRecord,

    /// <summary>The record does not hash to the digest the proof is for, in the deployment's domain.</summary>
    DigestMismatch,

    /// <summary>The signature is not the record's node's over the record, in the deployment's domain.</summary>
    ForgedSignature,

    /// <summary>The proof does not lead from the digest to the root it names.</summary>
    ProofMismatch,
}

/// <summary>
/// The offline half of verifying a copy of a record's evidence: the record hashes to the proven digest in the
/// deployment's EIP-712 domain, its node signed it, and the proof leads from it to the root. What stays for the chain
/// is whether that root is anchored (<c>AnchoredRoots</c> in the Chain project). Pure and thread-safe.
/// </summary>
public static class EvidenceCheck
{
    /// <summary>Checks <paramref name="evidence"/>; returns <see cref="EvidenceFault.None"/> or the first fault found.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="evidence"/> is null.</exception>
    public static EvidenceFault Check(RecordEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var signed = evidence.SignedRecord;
        if (signed?.Record is null || evidence.Inclusion is null || evidence.Deployment is null
            || !ProvenanceRecordVersions.IsSupported(signed.Record.Version) || ProvenanceRecordVersions.Check(signed) is not null)
        {
            return EvidenceFault.MalformedRecord;
        }

        var domain = ContractDomain.ForProvenanceLedger(evidence.Deployment.ChainId, evidence.Deployment.ProvenanceLedger);
        if (ProvenanceRecordTypedData.Digest(signed.Record, domain) != evidence.Inclusion.RecordDigest)
        {
            return EvidenceFault.DigestMismatch;
        }

        bool signedByNode;
        try
        {
            signedByNode = ProvenanceRecordTypedData.IsSignedByNode(signed.Record, domain, signed.Signature);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // A signature that recovers to no key at all is as forged as one that recovers to another key.
            signedByNode = false;
        }

        if (!signedByNode)
        {
            return EvidenceFault.ForgedSignature;
        }

        return MerkleTree.Verify(evidence.Inclusion.Root, evidence.Inclusion.RecordDigest, evidence.Inclusion.Proof ?? [])
            ? EvidenceFault.None
            : EvidenceFault.ProofMismatch;
    }

    /// <summary>How a fault reads in reports and CLI messages.</summary>
    public static string Describe(EvidenceFault fault) => fault switch
    {
        EvidenceFault.None => "ok",
        EvidenceFault.MalformedRecord => "the record is malformed for its version",
        EvidenceFault.DigestMismatch => "the record does not hash to the proven digest in its deployment's domain",
        EvidenceFault.ForgedSignature => "the signature is not the record's node's",
        EvidenceFault.ProofMismatch => "the proof does not lead from the record to the root",
        _ => fault.ToString(),
    };
}
