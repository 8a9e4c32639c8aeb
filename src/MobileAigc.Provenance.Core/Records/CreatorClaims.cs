using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>Why a record's creator claim does not hold.</summary>
public enum CreatorClaimFailure
{
    /// <summary>The record names a creator but carries no proof (or an empty one).</summary>
    NotAuthenticated,

    /// <summary>The proof does not prove the named creator (wrong signer, changed field, another domain, a proof for no creator).</summary>
    InvalidProof,
}

/// <summary>The outcome of checking a record's creator claim with the signatures alone.</summary>
/// <param name="Authentication">How the creator is authenticated when the claim holds.</param>
/// <param name="ProofId">
/// The proof's identity, the same for every record that reuses it: one record per creator and request
/// nonce, one per channel and voucher nonce. Null when there is no proof.
/// </param>
/// <param name="Failure">Why the claim does not hold; null when it holds.</param>
/// <param name="Detail">A human-readable explanation of <paramref name="Failure"/>.</param>
/// <remarks>
/// For <see cref="CreatorAuthentication.ChannelVoucher"/> the voucher's signer is the named creator;
/// that the channel is that creator's (and pays for the record's model) is the caller's check, against
/// the chain.
/// </remarks>
public sealed record CreatorClaimCheck(CreatorAuthentication Authentication, Bytes32? ProofId, CreatorClaimFailure? Failure = null, string? Detail = null)
{
    /// <summary>True when the claim holds (so far as signatures go).</summary>
    public bool Holds => Failure is null;
}

/// <summary>
/// The rule for who a record may name as its creator: nobody, a private commitment (which names
/// nobody until opened), or an address proven by the creator's own signature: over the request
/// (<see cref="CreatorRequest"/>) or over the voucher that paid. Used by the edge node before it
/// generates and by the ledger before it stores.
/// </summary>
public static class CreatorClaims
{
    private static readonly byte[] RequestTag = "creator-request"u8.ToArray();
    private static readonly byte[] VoucherTag = "channel-voucher"u8.ToArray();

    /// <summary>Checks the creator the record names against <paramref name="proof"/>.</summary>
    /// <param name="record">The record.</param>
    /// <param name="proof">The creator's proof carried beside the record; null when none.</param>
    /// <param name="ledgerDomainSeparator">The EIP-712 separator of the ledger's domain (request signatures).</param>
    /// <param name="channels">The <c>PaymentChannels</c> domain's voucher checker; null when the checker reads no channels (voucher proofs then fail).</param>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    public static CreatorClaimCheck Check(ProvenanceRecord record, CreatorProof? proof, Bytes32 ledgerDomainSeparator, PaymentVoucherVerifier? channels)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Creator.IsZero)
        {
            if (proof is not null)
            {
                return Invalid("The record names no creator but carries a creator proof: a proof is only for a named creator.");
            }

            return new(record.CreatorCommitment.IsZero ? CreatorAuthentication.None : CreatorAuthentication.PrivateCommitment, null);
        }

        if (!record.CreatorCommitment.IsZero)
        {
            return Invalid("The record names both a creator and a private creator commitment; it may name one or the other.");
        }

        return proof switch
        {
            { Request: { } request, Voucher: null } => CheckRequest(record, request, ledgerDomainSeparator),
            { Request: null, Voucher: { } voucher } => CheckVoucher(record, voucher, channels),
            { Request: not null, Voucher: not null } => Invalid("The creator proof holds both a request signature and a voucher; it must hold one."),
            _ => new(CreatorAuthentication.None, null, CreatorClaimFailure.NotAuthenticated,
                $"The record names the creator {record.Creator} without proof: a signature of the creator over the request, or the voucher that paid."),
        };
    }

    /// <summary>The identity of a request proof: keccak256("creator-request" ‖ creator ‖ nonce).</summary>
    public static Bytes32 RequestProofId(EvmAddress creator, Bytes32 nonce) =>
        Id(RequestTag, creator.ToBytes(), nonce.AsSpan());

    /// <summary>The identity of a voucher proof: keccak256("channel-voucher" ‖ channel ‖ uint64 nonce).</summary>
    public static Bytes32 VoucherProofId(Bytes32 channelId, ulong nonce)
    {
        Span<byte> nonceBytes = stackalloc byte[sizeof(ulong)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonceBytes, nonce);
        return Id(VoucherTag, channelId.AsSpan(), nonceBytes);
    }

    private static CreatorClaimCheck CheckRequest(ProvenanceRecord record, CreatorRequestProof request, Bytes32 ledgerDomainSeparator)
    {
        if (request.Signature is null)
        {
            return Invalid("The creator's request proof has no signature.");
        }

        return CreatorRequestTypedData.IsSignedByCreator(CreatorRequest.Of(record, request.Nonce), request.Signature, ledgerDomainSeparator)
            ? new(CreatorAuthentication.CreatorSignature, RequestProofId(record.Creator, request.Nonce))
            : Invalid($"The request signature is not the creator {record.Creator}'s over this record's node, model and prompt commitment with nonce {request.Nonce} in the ledger's domain.");
    }

    private static CreatorClaimCheck CheckVoucher(ProvenanceRecord record, ChannelVoucherProof voucher, PaymentVoucherVerifier? channels)
    {
        if (channels is null)
        {
            return Invalid("This service reads no PaymentChannels contract: a voucher cannot prove the creator here.");
        }

        if (voucher.Signature is null || !channels.TryRecoverSigner(voucher.Voucher, voucher.Signature, out var signer))
        {
            return Invalid("The voucher's signature recovers to no key.");
        }

        return signer == record.Creator
            ? new(CreatorAuthentication.ChannelVoucher, VoucherProofId(voucher.ChannelId, voucher.Nonce))
            : Invalid($"The voucher on channel {voucher.ChannelId} is signed by {signer}, not by the record's creator {record.Creator}.");
    }

    private static CreatorClaimCheck Invalid(string detail) =>
        new(CreatorAuthentication.None, null, CreatorClaimFailure.InvalidProof, detail);

    private static Bytes32 Id(ReadOnlySpan<byte> tag, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) =>
        Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash([.. tag, .. first, .. second]));
}
