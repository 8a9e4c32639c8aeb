using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Ingest;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Manifests;

/// <summary>The full check of a manifest store sent with a record, on stores signed in the test by a test CA's leaf.</summary>
public sealed class RecordManifestStoreCheckTests
{
    private static readonly ContractDomain Registry = ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a1"));
    private static readonly ContractDomain Ledger = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));
    private static readonly Bytes32 Digest = Bytes32.Sha256("the record"u8);

    private readonly EthECKey _node = EthECKey.GenerateKey();
    private readonly byte[] _asset = CredentialedPictures.Asset(51, ImageFileFormat.Png);
    private readonly RecordManifestStoreCheck _check = new(new ManifestValidator(), Registry);

    [Fact]
    public void Refuse_StoreOfTheRecordBoundToItsNode_Accepts()
    {
        var store = Store(Digest, BindBy(_node));

        Assert.Null(_check.Refuse(store, Record(), Digest));
    }

    [Fact]
    public void Refuse_CertificateBoundByAnotherNode_Refuses()
    {
        var store = Store(Digest, BindBy(EthECKey.GenerateKey()));

        Assert.Contains("not bound to the record's node", _check.Refuse(store, Record(), Digest), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuse_NoBinding_Refuses()
    {
        var store = Store(Digest, bind: null);

        Assert.Contains("no certificate binding", _check.Refuse(store, Record(), Digest), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuse_AnotherRecordsStoreOrContentHash_Refuses()
    {
        var other = Bytes32.Sha256("another record"u8);
        var store = Store(Digest, BindBy(_node));

        Assert.Contains("not the record's manifest", _check.Refuse(Store(other, BindBy(_node)), Record(), Digest), StringComparison.Ordinal);
        var otherContent = Record() with { Record = Record().Record with { ContentHash = Bytes32.Sha256("other bytes"u8) } };
        Assert.Contains("content hash", _check.Refuse(store, otherContent, Digest), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuse_TamperedClaim_Refuses()
    {
        var store = Store(Digest, BindBy(_node));
        // A byte of the claim's CBOR changed: the signature no longer covers it.
        var claim = store.AsSpan().IndexOf("c2pa.claim.v2"u8);
        var tampered = store.ToArray();
        var at = claim + 40;
        tampered[at] ^= 0x01;

        var refusal = _check.Refuse(tampered, Record(), Digest);

        Assert.NotNull(refusal);
    }

    private Func<System.Security.Cryptography.X509Certificates.X509Certificate2, NodeCertificateBinding> BindBy(EthECKey key) => leaf =>
    {
        var binding = CertificateBinding.Sign(leaf, key, Registry);
        return new NodeCertificateBinding(binding.Signed.Statement.CertificateHash, binding.Signed.Signature);
    };

    private byte[] Store(Bytes32 digest, Func<System.Security.Cryptography.X509Certificates.X509Certificate2, NodeCertificateBinding>? bind) =>
        CredentialedPictures.Sign(_asset, digest, EvmAddress.Parse(_node.GetPublicAddress()), Bytes32.Sha256(_asset), bind).ManifestStore;

    private SignedProvenanceRecord Record()
    {
        var signed = SignedRecords.Make(Ledger, _node, Bytes32.Sha256("model"u8), 1, DateTimeOffset.UnixEpoch);
        return signed with { Record = signed.Record with { ContentHash = Bytes32.Sha256(_asset) } };
    }
}
