namespace MobileAigc.Provenance.Ledger.Tests.Fixtures;

// A collection runs its tests one after another. With every chain test in one collection, that collection alone
// was most of the suite's wall time (991 of 1,660 s on 2026-12-07, load 35-75) while xunit's other lane sat idle.
// The collections below give the longest chain tests an anvil of their own, so that they run beside the rest:
// each still runs its own tests one at a time on its own chain, as they did on the shared one.

/// <summary>
/// Ledger host processes started, killed with SIGKILL, replicated and rebuilt from the chain: the longest chain tests,
/// on an anvil of their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LedgerProcessCollection : ICollectionFixture<LedgerChainFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ledger-processes";
}

/// <summary>
/// The chain's indexers (registry, settlements), contract upgrades and the host's metrics: chain tests that mine and
/// index many blocks, on an anvil of their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChainIndexingCollection : ICollectionFixture<LedgerChainFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ledger-chain-indexing";
}
