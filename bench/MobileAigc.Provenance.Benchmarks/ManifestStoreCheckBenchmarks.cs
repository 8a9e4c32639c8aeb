using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// Cost of the ledger's full check of one manifest store sent with a record (<see cref="RecordManifestStoreCheck"/>:
/// read the JUMBF, validate the claim signature, certificate chain and hashed URIs, compare label, record assertion and
/// data hash, verify the node key's binding of the certificate), one thread. Ingest runs it on the request thread for
/// each store of an accepted record: a request of 1,000 records with stores costs 1,000 × the mean. The stores are
/// what an edge node writes: a 512×512 PNG's, with a 160-pixel JPEG claim thumbnail, signed by a node certificate of a
/// provider CA (<see cref="ProviderCertificateAuthority"/>) bound to the node. Each call takes the next of
/// <see cref="StoreCount"/> stores (eight nodes), so that no result can be cached.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ManifestStoreCheckBenchmarks
{
    /// <summary>The number of distinct stores cycled through.</summary>
    public const int StoreCount = 16;

    private static readonly ContractDomain LedgerDomain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    private static readonly ContractDomain RegistryDomain = ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));

    private readonly ManifestValidator _validator = new();
    private RecordManifestStoreCheck _check = null!;
    private (byte[] Store, SignedProvenanceRecord Record, Bytes32 Digest)[] _stores = null!;
    private int _next;

    /// <summary>Signs <see cref="StoreCount"/> records and their stores, and checks that every store is accepted.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _check = new RecordManifestStoreCheck(_validator, RegistryDomain);
        using var ca = ProviderCertificateAuthority.Create("Benchmark provider", TimeSpan.FromDays(1), TimeProvider.System);
        var nodes = Enumerable.Range(0, 8).Select(_ => Node(ca)).ToArray();
        _stores = Enumerable.Range(0, StoreCount).Select(i => Sign(nodes[i % nodes.Length], i)).ToArray();
        foreach (var node in nodes)
        {
            node.SigningKey.Dispose();
        }

        if (_stores.Select(s => _check.Refuse(s.Store, s.Record, s.Digest)).FirstOrDefault(refusal => refusal is not null) is { } refused)
        {
            throw new InvalidOperationException("The check refused a store of its record: " + refused);
        }
    }

    /// <summary>The full check of one store; null (accepted) every time.</summary>
    [Benchmark]
    public string? CheckStore()
    {
        var (store, record, digest) = NextStore();
        return _check.Refuse(store, record, digest);
    }

    /// <summary>Its first step alone: reading the store's JUMBF and CBOR.</summary>
    [Benchmark]
    public int ReadStore() => ManifestStoreReader.Read(NextStore().Store).Manifests.Count;

    /// <summary>Reading and validating (claim signature, certificate chain and profile, hashed URIs), without the record comparisons and the binding.</summary>
    [Benchmark]
    public int ReadAndValidate() => _validator.Validate(ManifestStoreReader.Read(NextStore().Store), file: null).ActiveManifest!.Failure.Count;

    private (byte[] Store, SignedProvenanceRecord Record, Bytes32 Digest) NextStore()
    {
        var next = _stores[_next];
        _next = (_next + 1) % StoreCount;
        return next;
    }

    private static (EthECKey Key, ECDsa SigningKey, EcdsaCredentialSigner Signer, NodeCertificateBinding Binding) Node(ProviderCertificateAuthority ca)
    {
        var key = EthECKey.GenerateKey();
        var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = ca.IssueNodeCertificate(EvmAddress.Parse(key.GetPublicAddress()), signingKey, TimeSpan.FromDays(1), TimeProvider.System);
        var binding = CertificateBinding.Sign(leaf, key, RegistryDomain);
        return (key, signingKey, new EcdsaCredentialSigner(signingKey, [leaf, ca.Certificate]),
            new NodeCertificateBinding(binding.Signed.Statement.CertificateHash, binding.Signed.Signature));
    }

    private static (byte[] Store, SignedProvenanceRecord Record, Bytes32 Digest) Sign(
        (EthECKey Key, ECDsa SigningKey, EcdsaCredentialSigner Signer, NodeCertificateBinding Binding) node, int seed)
    {
        var picture = SyntheticImages.Create(seed);
        var asset = ImageCodec.Encode(picture, ImageFileFormat.Png);
        var nodeAddress = EvmAddress.Parse(node.Key.GetPublicAddress());
        var record = new ProvenanceRecord(
            Bytes32.Sha256(asset), Bytes32.Zero, Bytes32.Sha256("model"u8), nodeAddress, EvmAddress.Zero, Bytes32.Zero,
            Bytes32.Sha256("prompt"u8), Bytes32.Sha256("parameters"u8), 1_790_000_000, Bytes32.Zero, (ulong)seed + 1);
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, LedgerDomain, node.Key));
        var digest = ProvenanceRecordTypedData.Digest(record, LedgerDomain);
        var thumbnail = ImageCodec.Encode(ImageCodec.Resize(picture, 160, 160), ImageFileFormat.Jpeg, 75);
        var built = new ManifestBuilder(node.Signer, ManifestLimits.Default, TimeProvider.System).Build(new ContentCredentialRequest(
            asset,
            new GeneratingModel("benchmark-model", record.ModelHash, "1"),
            new ImageSoftBindings(new byte[ImageSoftBindings.WatermarkPayloadLength], new byte[ImageSoftBindings.PerceptualHashLength]),
            new ClaimThumbnail("image/jpeg", thumbnail),
            new RecordReference(digest, signed.Signature, LedgerDomain, nodeAddress, new Uri("https://ledger.example/"), record.ContentHash, node.Binding)));
        return (built.ManifestStore, signed, digest);
    }
}
