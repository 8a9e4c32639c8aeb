using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Testing.Tests;

/// <summary>The shared server of this project's tests, declared as PostgresFixture's remarks show.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
