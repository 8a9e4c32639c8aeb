using System.Formats.Cbor;
using System.Security.Cryptography;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>Signed manifest stores built in the tests, to check the validator on files whose every byte the test controls.</summary>
internal static class TestManifests
{
    public const string ActiveLabel = "urn:c2pa:11111111-1111-4111-8111-111111111111";
    public const string IngredientLabel = "urn:c2pa:22222222-2222-4222-8222-222222222222";

    /// <summary>Knobs to build broken stores.</summary>
    public sealed record Options
    {
        public Func<byte[], byte[]>? Sign { get; init; }

        public Func<byte[], byte[]>? ClaimBytes { get; init; }

        public Func<JumbfSuperBox, JumbfSuperBox>? AssertionAfterHashing { get; init; }

        public bool WithIngredient { get; init; }

        public Func<byte[], byte[]>? IngredientSign { get; init; }

        public int IngredientReferences { get; init; } = 1;

        /// <summary>An assertion put in the active manifest's store after the claim was written, so the claim does not list it.</summary>
        public JumbfSuperBox? UndeclaredAssertion { get; init; }

        /// <summary>Assertions of the ingredient's manifest (listed by its claim).</summary>
        public IReadOnlyList<JumbfSuperBox> IngredientAssertions { get; init; } = [];

        /// <summary>Which of the ingredient's assertions stay in its store once its claim is signed (the others are redacted).</summary>
        public Func<JumbfSuperBox, bool>? IngredientKeeps { get; init; }

        /// <summary>The URIs the active claim lists in <c>redacted_assertions</c>.</summary>
        public IReadOnlyList<string> Redacted { get; init; } = [];
    }

    /// <summary>The asset (PNG or JPEG) with a signed store: c2pa.actions.v2, c2pa.hash.data, optionally a parentOf ingredient with its own manifest.</summary>
    public static EmbeddedAsset SignedAsset(byte[] asset, TestSigner signer, Options? options = null)
    {
        options ??= new Options();
        var container = AssetContainers.ForFile(asset);
        var stripped = container.Strip(asset);
        var assetHash = SHA256.HashData(stripped);
        var probe = container.Embed(stripped, Store(signer, options, 0, 0, assetHash).Encoded);
        var start = probe.ManifestRanges[0].Start;
        var length = probe.ManifestRanges[0].Length;
        for (var i = 0; i < 4; i++)
        {
            var embedded = container.Embed(stripped, Store(signer, options, start, length, assetHash).Encoded);
            if (embedded.ManifestRanges[0].Length == length)
            {
                return embedded;
            }

            length = embedded.ManifestRanges[0].Length;
        }

        throw new InvalidOperationException("the store length did not settle");
    }

    private static JumbfSuperBox Store(TestSigner signer, Options options, long start, long length, byte[] assetHash)
    {
        var manifests = new List<JumbfBox>();
        var assertions = new List<JumbfSuperBox>
        {
            Cbor("c2pa.actions.v2", writer =>
            {
                writer.WriteStartMap(1);
                writer.WriteTextString("actions");
                writer.WriteStartArray(1);
                writer.WriteStartMap(2);
                writer.WriteTextString("action");
                writer.WriteTextString("c2pa.created");
                writer.WriteTextString("digitalSourceType");
                writer.WriteTextString("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
                writer.WriteEndMap();
                writer.WriteEndArray();
                writer.WriteEndMap();
            }),
            Cbor("c2pa.hash.data", writer =>
            {
                writer.WriteStartMap(5);
                writer.WriteTextString("exclusions");
                writer.WriteStartArray(1);
                writer.WriteStartMap(2);
                writer.WriteTextString("start");
                writer.WriteInt64(start);
                writer.WriteTextString("length");
                writer.WriteInt64(length);
                writer.WriteEndMap();
                writer.WriteEndArray();
                writer.WriteTextString("name");
                writer.WriteTextString("jumbf manifest");
                writer.WriteTextString("alg");
                writer.WriteTextString("sha256");
                writer.WriteTextString("hash");
                writer.WriteByteString(assetHash);
                writer.WriteTextString("pad");
                writer.WriteByteString([]);
                writer.WriteEndMap();
            }),
        };

        if (options.WithIngredient)
        {
            var ingredient = Manifest(IngredientLabel, [.. options.IngredientAssertions], options.IngredientSign ?? (claim => signer.Sign(claim)), claim => claim, box => box, keep: options.IngredientKeeps);
            manifests.Add(ingredient);
            for (var copy = 0; copy < options.IngredientReferences; copy++)
            {
                assertions.Add(Cbor(copy == 0 ? "c2pa.ingredient.v3" : $"c2pa.ingredient.v3__{copy}", writer =>
                {
                    writer.WriteStartMap(4);
                    writer.WriteTextString("dc:title");
                    writer.WriteTextString("input.png");
                    writer.WriteTextString("relationship");
                    writer.WriteTextString("parentOf");
                    writer.WriteTextString("activeManifest");
                    WriteHashedUri(writer, "self#jumbf=/c2pa/" + IngredientLabel, SHA256.HashData(ingredient.EncodedPayload.Span));
                    writer.WriteTextString("claimSignature");
                    WriteHashedUri(writer, "self#jumbf=/c2pa/" + IngredientLabel + "/c2pa.signature", SHA256.HashData(ingredient.FindChild("c2pa.signature")!.EncodedPayload.Span));
                    writer.WriteEndMap();
                }));
            }
        }

        manifests.Add(Manifest(ActiveLabel, assertions, options.Sign ?? (claim => signer.Sign(claim)), options.ClaimBytes ?? (claim => claim), options.AssertionAfterHashing ?? (box => box), options.UndeclaredAssertion, options.Redacted));
        return new JumbfSuperBox(new JumbfDescriptionBox(C2paContentTypes.ManifestStore, "c2pa"), manifests);
    }

    private static JumbfSuperBox Manifest(string label, List<JumbfSuperBox> assertions, Func<byte[], byte[]> sign, Func<byte[], byte[]> claimBytes, Func<JumbfSuperBox, JumbfSuperBox> afterHashing, JumbfSuperBox? undeclared = null, IReadOnlyList<string>? redacted = null, Func<JumbfSuperBox, bool>? keep = null)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(redacted is { Count: > 0 } ? 7 : 6);
        if (redacted is { Count: > 0 })
        {
            writer.WriteTextString("redacted_assertions");
            writer.WriteStartArray(redacted.Count);
            foreach (var uri in redacted)
            {
                writer.WriteTextString(uri);
            }

            writer.WriteEndArray();
        }

        writer.WriteTextString("instanceID");
        writer.WriteTextString("xmp:iid:" + label[9..]);
        writer.WriteTextString("claim_generator_info");
        writer.WriteStartMap(1);
        writer.WriteTextString("name");
        writer.WriteTextString("MobileAigc.Provenance tests");
        writer.WriteEndMap();
        writer.WriteTextString("signature");
        writer.WriteTextString("self#jumbf=c2pa.signature");
        writer.WriteTextString("created_assertions");
        writer.WriteStartArray(assertions.Count);
        foreach (var assertion in assertions)
        {
            WriteHashedUri(writer, "self#jumbf=c2pa.assertions/" + assertion.Label, SHA256.HashData(assertion.EncodedPayload.Span));
        }

        writer.WriteEndArray();
        writer.WriteTextString("gathered_assertions");
        writer.WriteStartArray(0);
        writer.WriteEndArray();
        writer.WriteTextString("alg");
        writer.WriteTextString("sha256");
        writer.WriteEndMap();
        var claim = writer.Encode();
        var signature = sign(claim);
        return new JumbfSuperBox(C2paContentTypes.Manifest, label,
            new JumbfSuperBox(C2paContentTypes.AssertionStore, "c2pa.assertions", [.. assertions.Where(keep ?? (_ => true)).Select(afterHashing), .. new[] { undeclared }.OfType<JumbfSuperBox>()]),
            new JumbfSuperBox(C2paContentTypes.Claim, "c2pa.claim.v2", JumbfDataBox.Cbor(claimBytes(claim))),
            new JumbfSuperBox(C2paContentTypes.Signature, "c2pa.signature", JumbfDataBox.Cbor(signature)));
    }

    public static JumbfSuperBox Cbor(string label, Action<CborWriter> write)
    {
        var writer = new CborWriter();
        write(writer);
        return new JumbfSuperBox(C2paContentTypes.Cbor, label, JumbfDataBox.Cbor(writer.Encode()));
    }

    private static void WriteHashedUri(CborWriter writer, string url, byte[] hash)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("url");
        writer.WriteTextString(url);
        writer.WriteTextString("hash");
        writer.WriteByteString(hash);
        writer.WriteEndMap();
    }
}
