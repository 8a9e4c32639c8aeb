using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

public sealed class RecordIdRangesTests
{
    [Fact]
    public void Pack_IdsWithGaps_UnpacksToTheSameIdsInOneRunPerStretch()
    {
        long[] ids = [5, 6, 7, 9, 10, 42, long.MaxValue - 1];
        var packed = RecordIdRanges.Pack(ids);

        Assert.Equal(4 * 12, packed.Length);
        Assert.Equal(ids, RecordIdRanges.Unpack(packed));
    }

    [Fact]
    public void Pack_ASixtyFiveThousandRun_TakesTwelveBytes()
    {
        var ids = Enumerable.Range(1_000, 65_536).Select(i => (long)i).ToList();
        var packed = RecordIdRanges.Pack(ids);

        Assert.Equal(12, packed.Length);
        Assert.Equal(ids, RecordIdRanges.Unpack(packed));
    }

    [Theory]
    [InlineData(new long[] { 3, 2 })]
    [InlineData(new long[] { 3, 3 })]
    public void Pack_NotStrictlyAscending_Throws(long[] ids) =>
        Assert.Throws<ArgumentException>(() => RecordIdRanges.Pack(ids));

    [Fact]
    public void Unpack_TruncatedOrOverlappingRuns_ThrowsFormatException()
    {
        var packed = RecordIdRanges.Pack([1, 2, 3, 10]);
        Assert.Throws<FormatException>(() => RecordIdRanges.Unpack(packed[..^1]));

        var overlapping = RecordIdRanges.Pack([1, 2, 3]).Concat(RecordIdRanges.Pack([2])).ToArray();
        Assert.Throws<FormatException>(() => RecordIdRanges.Unpack(overlapping));

        var empty = RecordIdRanges.Pack([7]);
        empty[8] = 0; // a run of 0 ids
        Assert.Throws<FormatException>(() => RecordIdRanges.Unpack(empty));
    }
}
