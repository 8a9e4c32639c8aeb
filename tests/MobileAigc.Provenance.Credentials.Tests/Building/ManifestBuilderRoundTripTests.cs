using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>Files written by the builder, read back box by box: signature, hashed URIs, assertions as written.</summary>
public sealed class ManifestBuilderRoundTripTests : IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Build_ClaimSignature_VerifiesWithTheLeafOverTheClaimAndCarriesTheChain(string format)
    {
        var written = Write(format);

        var message = CoseMessage.DecodeSign1(written.Signature);
        using var leafKey = _certificates.Leaf.GetECDsaPublicKey()!;
        Assert.True(message.VerifyDetached(leafKey, written.ClaimCbor));
        var chain = new CborReader(message.ProtectedHeaders[new CoseHeaderLabel(ClaimSigner.X5ChainLabel)].EncodedValue);
        Assert.Equal(2, chain.ReadStartArray());
        Assert.Equal(_certificates.Leaf.RawData, chain.ReadByteString());
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Build_CreatedAssertions_AreEveryAssertionWithTheHashOfItsBoxPayload(string format)
    {
        var written = Write(format);

        var created = written.CreatedAssertions();
        var boxes = written.Assertions.SuperBoxes.ToList();
        Assert.Equal(boxes.Count, created.Count);
        foreach (var (box, (url, hash)) in boxes.Zip(created))
        {
            Assert.Equal($"self#jumbf=c2pa.assertions/{box.Label}", url);
            Assert.Equal(SHA256.HashData(box.EncodedPayload.Span), hash);
        }

        Assert.Equal(
            [AssertionLabels.Actions, "c2pa.thumbnail.claim.png", "c2pa.soft-binding", "c2pa.soft-binding__1", "c2pa.soft-binding__2", AssertionLabels.ProvenanceRecord, AssertionLabels.DataHash],
            boxes.Select(box => box.Label));
    }

    [Fact]
    public void Build_Claim_NamesTheGeneratorTheSignatureAndAnInstanceId()
    {
        var claim = WrittenManifest.ReadMap(new CborReader(Write("png").ClaimCbor));

        Assert.StartsWith("xmp:iid:", (string)claim["instanceID"], StringComparison.Ordinal);
        Assert.Equal("MobileAigc.Provenance", ((Dictionary<string, object>)claim["claim_generator_info"])["name"]);
        Assert.Equal("self#jumbf=c2pa.signature", claim["signature"]);
        Assert.Equal("sha256", claim["alg"]);
    }

    [Fact]
    public void Build_Actions_CreatedByTheModelAsTrainedAlgorithmicMediaThenWatermarked()
    {
        var actions = (List<object>)WrittenManifest.ReadMap(Write("png").AssertionCbor(AssertionLabels.Actions))["actions"];

        var created = (Dictionary<string, object>)actions[0];
        Assert.Equal("c2pa.created", created["action"]);
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", created["digitalSourceType"]);
        Assert.Equal("2026-12-06T10:00:00Z", created["when"]);
        var agent = (Dictionary<string, object>)created["softwareAgent"];
        Assert.Equal(ManifestBuilderFixture.Model.Name, agent["name"]);
        Assert.Equal(ManifestBuilderFixture.Model.ModelHash.ToString(), agent["org.mobileaigc.modelHash"]);
        Assert.Equal("c2pa.watermarked.bound", ((Dictionary<string, object>)actions[1])["action"]);
    }

    [Theory]
    [InlineData("c2pa.soft-binding", "org.mobileaigc.watermark.image.1")]
    [InlineData("c2pa.soft-binding__1", "org.mobileaigc.phash.1")]
    [InlineData("c2pa.soft-binding__2", "org.mobileaigc.pdq.1")]
    public void Build_SoftBindings_CarryTheAlgorithmAndTheValueOverTheWholeImage(string label, string algorithm)
    {
        var binding = WrittenManifest.ReadMap(Write("png").AssertionCbor(label));

        Assert.Equal(algorithm, binding["alg"]);
        var block = (Dictionary<string, object>)Assert.Single((List<object>)binding["blocks"]);
        Assert.Empty((Dictionary<string, object>)block["scope"]);
        var expected = label switch
        {
            "c2pa.soft-binding" => ManifestBuilderFixture.WatermarkPayload,
            "c2pa.soft-binding__1" => ManifestBuilderFixture.PerceptualHash,
            _ => ManifestBuilderFixture.Pdq,
        };
        Assert.Equal(expected, Convert.FromBase64String((string)block["value"]));
        Assert.Empty((byte[])binding["pad"]);
    }

    [Fact]
    public void Build_RecordAssertion_HoldsTheRecordItsSignatureDomainNodeLedgerAndContentHash()
    {
        var asset = ManifestBuilderFixture.Asset("png");
        var record = ManifestBuilderFixture.Record(asset);

        var written = WrittenManifest.Read(Builder().Build(ManifestBuilderFixture.Request(asset)).File);

        var map = WrittenManifest.ReadMap(written.AssertionCbor(AssertionLabels.ProvenanceRecord));
        Assert.Equal(record.RecordDigest.ToArray(), map["recordDigest"]);
        Assert.Equal(record.RecordSignature.ToArray(), map["recordSignature"]);
        var domain = (Dictionary<string, object>)map["eip712Domain"];
        Assert.Equal(record.Domain.Name, domain["name"]);
        Assert.Equal(record.Domain.Version, domain["version"]);
        Assert.Equal(31337UL, domain["chainId"]);
        Assert.Equal(record.Domain.VerifyingContract.ToString(), domain["verifyingContract"]);
        Assert.Equal(record.NodeAddress.ToString(), map["nodeAddress"]);
        Assert.Equal("https://ledger.example/", map["ledgerUrl"]);
        Assert.Equal(SHA256.HashData(asset), map["contentHash"]);
    }

    [Fact]
    public void Build_RecordWithoutLedgerUrlAndWithAParent_LeavesTheUrlOutAndNamesTheParentRecord()
    {
        var asset = ManifestBuilderFixture.Asset("jpeg");
        var parent = Core.Primitives.Bytes32.Sha256("the parent record"u8);
        var request = ManifestBuilderFixture.Request(asset) with
        {
            Record = ManifestBuilderFixture.Record(asset) with { LedgerUrl = null, ParentRecord = parent },
        };

        var written = WrittenManifest.Read(Builder().Build(request).File);

        var map = WrittenManifest.ReadMap(written.AssertionCbor(AssertionLabels.ProvenanceRecord));
        Assert.False(map.ContainsKey("ledgerUrl"));
        Assert.Equal(parent.ToArray(), map["parentRecord"]);
        Assert.Equal(SHA256.HashData(asset), map["contentHash"]);
    }

    [Fact]
    public void Build_Thumbnail_IsAnEmbeddedFileWithTheCallersBytes()
    {
        var thumbnail = SamplePngs.Png(3, 3, seed: 5);
        var asset = ManifestBuilderFixture.Asset("jpeg");

        var written = WrittenManifest.Read(Builder().Build(ManifestBuilderFixture.Request(asset, thumbnail: thumbnail)).File);

        var file = JumbfEmbeddedFile.From(written.Assertion("c2pa.thumbnail.claim.png"))!;
        Assert.Equal("image/png", file.MediaType);
        Assert.Equal(thumbnail, file.Data.ToArray());
    }

    private WrittenManifest Write(string format) =>
        WrittenManifest.Read(Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset(format))).File);

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time);

    public void Dispose() => _certificates.Dispose();
}
