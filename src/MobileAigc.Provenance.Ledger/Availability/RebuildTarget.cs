using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>The ledger a rebuild restores: its contract, its chain and the account that anchored its batches.</summary>
/// <param name="ChainId">The chain's id; the RPC node must report it.</param>
/// <param name="ProvenanceLedger">The <c>ProvenanceLedger</c> contract.</param>
/// <param name="Anchorer">
/// The ledger's anchorer: its batches (and only its) are restored, all of them, so that the rebuilt ledger's next
/// batch starts where that anchorer's sequence on chain ends.
/// </param>
/// <param name="DeploymentBlock">The block to read <c>BatchAnchored</c> events from (the contract's deployment block).</param>
public sealed record RebuildTarget(long ChainId, EvmAddress ProvenanceLedger, EvmAddress Anchorer, long DeploymentBlock);

/// <summary>The rebuild cannot run: the database is not fresh, or the chain is not the one named.</summary>
public sealed class LedgerRebuildException(string message) : Exception(message);
