using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Decoding;

/// <summary>
/// The long Chase search (<c>CodewordSearch</c>: 2,048 Reed-Solomon attempts on each of the 2 readings whose sync is strong)
/// against someone who triggers it on purpose: the sync pattern and layout are public, so anyone can put a strong mark with a
/// tag of their choosing into a picture.
/// </summary>
public sealed class StrongSyncChaseTests
{
    /// <summary>
    /// The attempt bound of docs/benchmarks/watermark-robustness.md ("False positives: the argument"): 176 hard decodings, 6 of
    /// the marked regions' refolds, and 2,048 Chase attempts on each of the 2 strongest readings and the strongest refold per
    /// read, two reads for a picture below 256 px.
    /// </summary>
    private const int AttemptBoundPerRead = 176 + 6 + (3 * 2048);

    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + new string('d', 64));

    [Theory]
    [InlineData("as forged")]
    [InlineData("JPEG q30")]
    public void Extract_ForgedMarkWithATagOfAnotherKey_FindsNothingWithinTheAttemptBound(string attack)
    {
        // A strong, valid Reed-Solomon codeword whose tag is another key's: every hypothesis and every Chase pattern near it
        // decodes, and only the tag can refuse it.
        const ulong Payload = 0x0BAD_C0DE_0000_0001UL;
        var forger = new ImageWatermarker(Key);
        var otherTag = PayloadMac.For(WatermarkKey.Parse("0x" + new string('e', 64))).Tag(Payload);
        var forged = forger.EmbedTagged(SyntheticImages.Create(7), Payload, otherTag);
        var picture = attack == "JPEG q30" ? ImageAttacks.Jpeg(forged, 30) : forged;
        var ours = PayloadMac.For(Key);
        var decoded = 0;

        var reading = CodewordSearch.Extract(picture, new ImageWatermarkOptions(), (payload, tag) =>
        {
            decoded++;
            return tag == ours.Tag(payload);
        });

        Assert.False(reading.Found);
        // The forged codeword decodes on most attempts (here: hundreds to thousands), each one a chance the bound counts.
        Assert.InRange(decoded, 1, AttemptBoundPerRead);
    }
}
