using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>A <c>ProvenanceLedger</c> a reconciliation compares batches with.</summary>
/// <param name="Ledger">Its address.</param>
/// <param name="DeploymentBlock">The first block to search for its events.</param>
/// <param name="Anchorers">This ledger's anchorers on it: other anchorers' batches are left out. Null: every batch on it counts.</param>
public sealed record ReconciledContract(EvmAddress Ledger, long DeploymentBlock, IReadOnlySet<EvmAddress>? Anchorers);
