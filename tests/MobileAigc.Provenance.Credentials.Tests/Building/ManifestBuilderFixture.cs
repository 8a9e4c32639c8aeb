using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Tests.Support;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>Requests a builder test starts from: a record that describes the asset, a model, bindings, a thumbnail.</summary>
internal static class ManifestBuilderFixture
{
    public static readonly GeneratingModel Model = new("tiny-diffusion", Bytes32.Sha256("model weights"u8), "1.2");

    public static readonly byte[] WatermarkPayload = [1, 2, 3, 4, 5, 6, 7, 8];

    public static readonly byte[] PerceptualHash = [.. Enumerable.Range(0, 32).Select(i => (byte)(255 - i))];

    public static readonly byte[] Pdq = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    /// <summary>A PNG of random pixels, or a JPEG without credentials from the reference implementation's fixtures.</summary>
    public static byte[] Asset(string format) => format switch
    {
        "png" => SamplePngs.Png(16, 16, seed: 1),
        "jpeg" => Fixtures.C2paRs("no_manifest.jpg"),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static ContentCredentialRequest Request(byte[] asset, bool withRecord = true, byte[]? thumbnail = null) => new(
        asset,
        Model,
        new ImageSoftBindings(WatermarkPayload, PerceptualHash) { Pdq = Pdq },
        new ClaimThumbnail("image/png", thumbnail ?? SamplePngs.Png(4, 4, seed: 99)),
        withRecord ? Record(asset) : null);

    public static RecordReference Record(byte[] asset) => new(
        Bytes32.Sha256("record"u8),
        EcdsaSignature.FromBytes([.. new byte[32].Select((_, i) => (byte)(i + 1)), .. new byte[32].Select((_, i) => (byte)(i + 2)), 27]),
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3")),
        EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        new Uri("https://ledger.example/"),
        Bytes32.Sha256(asset),
        CertificateBinding: null);
}
