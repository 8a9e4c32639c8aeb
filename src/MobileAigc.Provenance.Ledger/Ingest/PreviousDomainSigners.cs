using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Tells, for a record whose signature does not hold in the current domain, whether its node signed it for a previous
/// deployment's domain (a node that was not switched, or an old outbox replayed after a contract upgrade), so that the
/// refusal says so. Asked on the refusal path only: accepting a record costs nothing more.
/// </summary>
/// <param name="previous">The previous deployments (<see cref="LedgerChain.Previous"/>).</param>
public sealed class PreviousDomainSigners(IEnumerable<LedgerDeployment> previous)
{
    private readonly IReadOnlyList<(LedgerDeployment Deployment, RecordSignatureVerifier Verifier)> _verifiers =
        [.. (previous ?? throw new ArgumentNullException(nameof(previous))).Select(d => (d, new RecordSignatureVerifier(d.Domain)))];

    /// <summary>The previous deployment whose domain the record's node signed <paramref name="record"/> in; null when none.</summary>
    public LedgerDeployment? SignedFor(ProvenanceRecord record, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var (deployment, verifier) in _verifiers)
        {
            if (verifier.IsSignedByNode(record, signature))
            {
                return deployment;
            }
        }

        return null;
    }
}
