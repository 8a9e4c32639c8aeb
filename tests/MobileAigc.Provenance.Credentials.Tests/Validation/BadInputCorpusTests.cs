using System.Buffers.Binary;
using System.Diagnostics;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

/// <summary>
/// Broken files built from valid ones: each must give a validation status or a <see cref="JumbfException"/>,
/// within a time bound, never another exception.
/// </summary>
public sealed class BadInputCorpusTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TestSigner _signer = TestSigner.Create();
    private readonly ManifestValidator _validator = new();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void ValidateFile_TruncatedAtManyOffsets_GivesStatusOrTypedError()
    {
        var file = SignedJpeg();
        var range = AssetContainers.Locate(file)!.Ranges[0];
        var offsets = Enumerable.Range(0, 120).Select(i => (int)(range.Start + (range.Length * i / 120)))
            .Concat([1, 2, 3, 4, 5, file.Length - 1]);

        AssertEachHandled(offsets.Select(offset => file[..offset]));
    }

    [Fact]
    public void ValidateFile_EveryBoxLengthLyingUpAndDown_GivesStatusOrTypedError()
    {
        var file = SignedJpeg();
        var range = AssetContainers.Locate(file)!.Ranges[0];
        Assert.True(range.Length < ushort.MaxValue); // one APP11 segment: the store lies at range.Start + 12
        var storeStart = (int)range.Start + 12;
        var store = file[storeStart..(int)range.End];
        var cases = new List<byte[]>();
        foreach (var offset in BoxOffsets(store, 0, store.Length))
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(store.AsSpan(offset));
            foreach (var lie in new uint[] { length + 1, length - 1, 0, 1, 7, 0x8000_0000, uint.MaxValue })
            {
                var broken = (byte[])file.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(broken.AsSpan(storeStart + offset), lie);
                cases.Add(broken);
            }
        }

        Assert.True(cases.Count > 70);
        AssertEachHandled(cases);
    }

    [Fact]
    public void ValidateFile_StoreNestedThousandDeep_IsManifestInaccessible()
    {
        JumbfBox box = JumbfDataBox.Cbor(new byte[] { 0xA0 });
        for (var i = 0; i < 1000; i++)
        {
            box = new JumbfSuperBox(C2paContentTypes.Cbor, "n", box);
        }

        var store = new JumbfSuperBox(C2paContentTypes.ManifestStore, "c2pa", box);

        var report = _validator.ValidateFile(AssetContainers.Embed(TestImages.Png(), store.Encoded).File);

        Assert.Equal([ValidationStatusCodes.ManifestInaccessible], report.ActiveManifest!.FailureCodes);
        Assert.Contains("TooDeep", report.ActiveManifest.Failure[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateFile_TwoGigabyteDeclaredSizes_AreRefusedWithoutAllocating()
    {
        var file = SignedJpeg();
        var start = (int)AssetContainers.Locate(file)!.Ranges[0].Start;
        var jpegLie = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(jpegLie.AsSpan(start + 12), 0x8000_0000); // LBox of the first APP11 packet
        var extendedLie = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(extendedLie.AsSpan(start + 12), 1); // XLBox follows: the jumd header read as 2^63-ish
        var before = GC.GetTotalAllocatedBytes(precise: true);

        AssertEachHandled([jpegLie, extendedLie]);

        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L * 1024 * 1024);
    }

    [Fact]
    public void ValidateFile_SegmentLengthBeyondTheFile_IsManifestInaccessible()
    {
        var file = SignedJpeg();
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(4), 0xFFFF); // APP0 length

        var report = _validator.ValidateFile(file[..1000]);

        Assert.Equal([ValidationStatusCodes.ManifestInaccessible], report.ActiveManifest!.FailureCodes);
        Assert.Contains("Truncated", report.ActiveManifest.Failure[0].Explanation, StringComparison.Ordinal);
    }

    private byte[] SignedJpeg() =>
        TestManifests.SignedAsset(AssetContainers.Strip(Fixtures.C2paRs("no_manifest.jpg")), _signer, new TestManifests.Options { WithIngredient = true }).File;

    private void AssertEachHandled(IEnumerable<byte[]> files)
    {
        var clock = Stopwatch.StartNew();
        var handled = 0;
        foreach (var file in files)
        {
            try
            {
                var report = _validator.ValidateFile(file);
                Assert.True(!report.HasManifestStore || report.ActiveManifest!.Failure.Count + report.ActiveManifest.Success.Count > 0);
            }
            catch (JumbfException)
            {
                // a typed refusal is a clear answer
            }

            handled++;
        }

        Assert.True(clock.Elapsed < Bound, $"{handled} broken files took {clock.Elapsed}");
    }

    private static IEnumerable<int> BoxOffsets(byte[] data, int start, int end)
    {
        var position = start;
        while (position + 8 <= end)
        {
            yield return position;
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position + 4)) == JumbfBoxTypes.Superbox)
            {
                foreach (var inner in BoxOffsets(data, position + 8, position + length))
                {
                    yield return inner;
                }
            }

            position += length;
        }
    }
}
