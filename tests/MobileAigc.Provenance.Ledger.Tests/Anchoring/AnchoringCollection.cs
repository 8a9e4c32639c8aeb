using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>
/// Anchoring tests need a chain and a database at once, and some rewind the chain
/// (<c>evm_revert</c>): they get an anvil and a PostgreSQL of their own, shared by no other collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AnchoringCollection : ICollectionFixture<LedgerChainFixture>, ICollectionFixture<PostgresDatabases>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "anchoring";
}
