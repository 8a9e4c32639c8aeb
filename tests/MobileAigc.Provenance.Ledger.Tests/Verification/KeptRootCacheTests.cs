using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The bounded memory of final batch roots.</summary>
public sealed class KeptRootCacheTests
{
    private static readonly EvmAddress Contract = EvmAddress.Parse("0x00000000000000000000000000000000000000b2");
    private static readonly EvmAddress Anchorer = EvmAddress.Parse("0x00000000000000000000000000000000000000a1");

    [Fact]
    public void TryGet_KeptRoot_ReturnsItsReading()
    {
        var cache = new KeptRootCache(16);
        var kept = Final(7);

        cache.Keep(Contract, Root(1), kept);

        Assert.True(cache.TryGet(Contract, Root(1), out var found));
        Assert.Equal(kept, found);
        Assert.False(cache.TryGet(Contract, Root(2), out _));
        // The same root on another contract is another root.
        Assert.False(cache.TryGet(EvmAddress.Parse("0x00000000000000000000000000000000000000b3"), Root(1), out _));
    }

    [Fact]
    public void Keep_ReadingWithoutItsConfirmations_Throws()
    {
        var cache = new KeptRootCache(16);

        Assert.Throws<ArgumentException>(() => cache.Keep(Contract, Root(1), new KeptRoot(Anchorer, new RootCheckpoint(7, DateTimeOffset.UnixEpoch, Final: false))));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Keep_ManyMoreRootsThanTheCapacity_StaysWithinTwiceTheCapacityAndKeepsTheRootsInUse()
    {
        const int capacity = 100;
        var cache = new KeptRootCache(capacity);
        cache.Keep(Contract, Root(0), Final(1));

        for (var i = 1; i <= 50 * capacity; i++)
        {
            cache.Keep(Contract, Root(i), Final(i));
            Assert.True(cache.TryGet(Contract, Root(0), out _), $"The root in use was dropped after {i} others.");
            Assert.InRange(cache.Count, 1, 2 * capacity);
        }

        // A root not asked for over a whole generation is gone.
        Assert.False(cache.TryGet(Contract, Root(1), out _));
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeptRootCache(0));

    private static KeptRoot Final(long block) => new(Anchorer, new RootCheckpoint(block, DateTimeOffset.UnixEpoch, Final: true));

    private static Bytes32 Root(int i) => Bytes32.Sha256(BitConverter.GetBytes(i));
}
