using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

public class CreatorClaimsTests
{
    private static readonly ContractDomain Ledger =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private static readonly ContractDomain Channels =
        ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));

    private readonly EthECKey _creatorKey = EthECKey.GenerateKey();
    private readonly Bytes32 _separator = new RecordSignatureVerifier(Ledger).DomainSeparator;
    private readonly PaymentVoucherVerifier _vouchers = new(Channels);

    private EvmAddress Creator => TestRecords.AddressOf(_creatorKey);

    [Fact]
    public void IsSignedByCreator_SignedWithNethereum_IsTrueAndFalseForAnyChangedField()
    {
        var request = new CreatorRequest(Creator, TestRecords.AddressOf(EthECKey.GenerateKey()), TestRecords.RandomBytes32(), TestRecords.RandomBytes32(), TestRecords.RandomBytes32());
        var signature = CreatorRequestTypedData.Sign(request, Ledger, _creatorKey);

        Assert.True(CreatorRequestTypedData.IsSignedByCreator(request, signature, _separator));
        Assert.False(CreatorRequestTypedData.IsSignedByCreator(request with { Node = Creator }, signature, _separator));
        Assert.False(CreatorRequestTypedData.IsSignedByCreator(request with { ModelHash = TestRecords.RandomBytes32() }, signature, _separator));
        Assert.False(CreatorRequestTypedData.IsSignedByCreator(request with { PromptCommitment = TestRecords.RandomBytes32() }, signature, _separator));
        Assert.False(CreatorRequestTypedData.IsSignedByCreator(request with { Nonce = TestRecords.RandomBytes32() }, signature, _separator));
        Assert.False(CreatorRequestTypedData.IsSignedByCreator(request, signature, new RecordSignatureVerifier(Ledger with { ChainId = 1 }).DomainSeparator));
    }

    [Fact]
    public void Check_NoCreator_IsNoneAndACommitmentIsPrivate()
    {
        var record = TestRecords.Random(Creator) with { Creator = EvmAddress.Zero };

        Assert.Equal(CreatorAuthentication.None, CreatorClaims.Check(record, null, _separator, _vouchers).Authentication);
        var commitment = CreatorClaims.Check(record with { CreatorCommitment = TestRecords.RandomBytes32() }, null, _separator, _vouchers);
        Assert.True(commitment.Holds);
        Assert.Equal(CreatorAuthentication.PrivateCommitment, commitment.Authentication);
    }

    [Fact]
    public void Check_NamedCreatorWithoutProof_FailsAsNotAuthenticated()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(EthECKey.GenerateKey())) with { Creator = Creator };

        Assert.Equal(CreatorClaimFailure.NotAuthenticated, CreatorClaims.Check(record, null, _separator, _vouchers).Failure);
        Assert.Equal(CreatorClaimFailure.NotAuthenticated, CreatorClaims.Check(record, new CreatorProof(), _separator, _vouchers).Failure);
    }

    [Fact]
    public void Check_RequestSignedByTheCreator_HoldsWithAProofIdPerCreatorAndNonce()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(EthECKey.GenerateKey())) with { Creator = Creator };
        var nonce = TestRecords.RandomBytes32();
        var proof = new CreatorProof(new CreatorRequestProof(nonce, CreatorRequestTypedData.Sign(CreatorRequest.Of(record, nonce), Ledger, _creatorKey)));

        var check = CreatorClaims.Check(record, proof, _separator, _vouchers);

        Assert.True(check.Holds);
        Assert.Equal(CreatorAuthentication.CreatorSignature, check.Authentication);
        Assert.Equal(CreatorClaims.RequestProofId(Creator, nonce), check.ProofId);
        Assert.NotEqual(CreatorClaims.RequestProofId(Creator, TestRecords.RandomBytes32()), check.ProofId);
        Assert.Equal(CreatorClaimFailure.InvalidProof, CreatorClaims.Check(record with { Creator = TestRecords.AddressOf(EthECKey.GenerateKey()) }, proof, _separator, _vouchers).Failure);
    }

    [Fact]
    public void Check_VoucherSignedByTheCreator_HoldsAndAnotherSignerFails()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(EthECKey.GenerateKey())) with { Creator = Creator };
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 100, 3);
        ChannelVoucherProof Proof(EthECKey key) => new(voucher.ChannelId, voucher.CumulativeAmount, voucher.Nonce, PaymentVoucherTypedData.Sign(voucher, Channels, key));

        var check = CreatorClaims.Check(record, new CreatorProof(Voucher: Proof(_creatorKey)), _separator, _vouchers);

        Assert.Equal(CreatorAuthentication.ChannelVoucher, check.Authentication);
        Assert.Equal(CreatorClaims.VoucherProofId(voucher.ChannelId, 3), check.ProofId);
        Assert.Equal(CreatorClaimFailure.InvalidProof, CreatorClaims.Check(record, new CreatorProof(Voucher: Proof(EthECKey.GenerateKey())), _separator, _vouchers).Failure);
        Assert.Equal(CreatorClaimFailure.InvalidProof, CreatorClaims.Check(record, new CreatorProof(Voucher: Proof(_creatorKey)), _separator, channels: null).Failure);
    }

    [Fact]
    public void Check_CreatorAndCommitmentOrProofWithoutCreator_FailsAsInvalidProof()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(EthECKey.GenerateKey())) with { Creator = Creator, CreatorCommitment = TestRecords.RandomBytes32() };
        var nonce = TestRecords.RandomBytes32();
        var proof = new CreatorProof(new CreatorRequestProof(nonce, CreatorRequestTypedData.Sign(CreatorRequest.Of(record, nonce), Ledger, _creatorKey)));

        Assert.Equal(CreatorClaimFailure.InvalidProof, CreatorClaims.Check(record, proof, _separator, _vouchers).Failure);
        Assert.Equal(CreatorClaimFailure.InvalidProof, CreatorClaims.Check(record with { Creator = EvmAddress.Zero }, proof, _separator, _vouchers).Failure);
    }

    [Fact]
    public void Versions_UnknownVersionThrowsAndVersion1RefusesExtensions()
    {
        var record = TestRecords.Random(Creator);

        Assert.Null(ProvenanceRecordVersions.Check(record));
        Assert.NotNull(ProvenanceRecordVersions.Check(record with { Extensions = TestRecords.RandomBytes32() }));
        Assert.Equal(4, Assert.Throws<UnsupportedRecordVersionException>(() => ProvenanceRecordVersions.Check(record with { Version = 4 })).Version);
        Assert.False(ProvenanceRecordVersions.IsSupported(0));
    }
}
