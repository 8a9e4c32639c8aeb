using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>Pictures with Content Credentials signed in the test by a test CA's leaf, naming a record.</summary>
internal static class CredentialedPictures
{
    /// <summary>A picture of <paramref name="format"/> with no credentials.</summary>
    public static byte[] Asset(int seed, ImageFileFormat format) => ImageCodec.Encode(TestPictures.Create(seed, 256, 256), format);

    /// <summary>
    /// <paramref name="asset"/> with a manifest store naming <paramref name="recordDigest"/> of <paramref name="node"/>, claiming
    /// <paramref name="contentHash"/>; <paramref name="bind"/> makes the node's binding of the signing certificate, when given.
    /// </summary>
    public static SignedAsset Sign(byte[] asset, Bytes32 recordDigest, EvmAddress node, Bytes32 contentHash, Func<X509Certificate2, NodeCertificateBinding>? bind = null)
    {
        var credentials = C2paTestCertificates.Create();
        using var key = ECDsa.Create();
        key.ImportFromPem(credentials.PrivateKeyPem);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(credentials.ChainPem);
        var builder = new ManifestBuilder(new EcdsaCredentialSigner(key, [.. chain]), ManifestLimits.Default, TimeProvider.System);
        var record = new RecordReference(
            recordDigest,
            EcdsaSignature.FromBytes([.. new byte[32].Select((_, i) => (byte)(i + 1)), .. new byte[32].Select((_, i) => (byte)(i + 2)), 27]),
            ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2")),
            node,
            new Uri("https://ledger.example/"),
            contentHash,
            CertificateBinding: bind?.Invoke(chain[0]));
        return builder.Build(new ContentCredentialRequest(
            asset,
            new GeneratingModel("test-model", Bytes32.Sha256("model"u8), "1"),
            new ImageSoftBindings(new byte[ImageSoftBindings.WatermarkPayloadLength], new byte[ImageSoftBindings.PerceptualHashLength]),
            new ClaimThumbnail("image/png", ImageCodec.Encode(TestPictures.Create(3, 8, 8), ImageFileFormat.Png)),
            record));
    }
}
