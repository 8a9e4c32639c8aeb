using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

public sealed class PerceptualHashIndexTests
{
    [Fact]
    public void Search_HashesAtVariousDistances_ReturnsThoseWithinThresholdNearestFirst()
    {
        var index = new PerceptualHashIndex();
        var query = RandomHash(new Random(1));
        index.Add(10, FlipBits(query, 31));
        index.Add(11, FlipBits(query, 32));
        index.Add(12, FlipBits(query, 3));
        index.Add(13, query);
        index.Add(14, RandomHash(new Random(2)));

        var found = index.Search(query, maxDistance: 31, maxResults: 10);

        Assert.Equal([new(13, 0), new(12, 3), new(10, 31)], found);
    }

    [Fact]
    public void Search_EqualDistances_PrefersEarlierRecord()
    {
        var index = new PerceptualHashIndex();
        var query = RandomHash(new Random(3));
        index.Add(20, FlipBits(query, 5));
        index.Add(7, FlipBits(query, 5, offset: 100));

        Assert.Equal(7, index.Search(query, 31).Single().RecordId);
    }

    [Fact]
    public void Add_ZeroHash_IsSkipped()
    {
        var index = new PerceptualHashIndex();

        Assert.False(index.Add(1, Bytes32.Zero));
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search(Bytes32.Zero, 256));
    }

    [Fact]
    public async Task Search_WhileAnotherThreadAdds_SeesOnlyWholeHashes()
    {
        var index = new PerceptualHashIndex();
        var query = RandomHash(new Random(4));
        var writer = Task.Run(() =>
        {
            for (var i = 1; i <= 50_000; i++)
            {
                index.Add(i, query);
            }
        });
        while (!writer.IsCompleted)
        {
            // Every hash is the query itself: a torn read would show a distance above zero.
            Assert.All(index.Search(query, 256, maxResults: 5), m => Assert.Equal(0, m.Distance));
        }

        await writer;
        Assert.Equal(50_000, index.Count);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(257, 1)]
    [InlineData(31, 0)]
    public void Search_OutOfRangeArguments_Throws(int maxDistance, int maxResults) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerceptualHashIndex().Search(Bytes32.Zero, maxDistance, maxResults));

    internal static Bytes32 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Bytes32.FromBytes(bytes);
    }

    internal static Bytes32 FlipBits(Bytes32 hash, int count, int offset = 0)
    {
        var bytes = hash.ToArray();
        for (var i = 0; i < count; i++)
        {
            var bit = (offset + (i * 7)) % 256;
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return Bytes32.FromBytes(bytes);
    }
}
