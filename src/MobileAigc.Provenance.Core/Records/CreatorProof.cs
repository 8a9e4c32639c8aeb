using System.Numerics;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The creator's own evidence that they asked for a record's content, carried beside the record
/// (it is signed by the creator, not by the node). Exactly one of the two is set.
/// </summary>
/// <param name="Request">The creator's signature over the request (free generation).</param>
/// <param name="Voucher">The creator's payment voucher on their channel with the node's provider (paid generation).</param>
public sealed record CreatorProof(CreatorRequestProof? Request = null, ChannelVoucherProof? Voucher = null);

/// <summary>A creator's EIP-712 signature over <see cref="CreatorRequest"/> (<see cref="CreatorRequestTypedData"/>).</summary>
/// <param name="Nonce">The request's nonce: one record per creator and nonce.</param>
/// <param name="Signature">The creator's signature in the ledger's domain.</param>
public sealed record CreatorRequestProof(Bytes32 Nonce, EcdsaSignature Signature);

/// <summary>
/// The voucher that paid for a generation, as the creator signed it in the <c>PaymentChannels</c>
/// domain. Its signer is the channel's creator; one voucher (channel, nonce) names the creator of one record.
/// </summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="CumulativeAmount">The voucher's cumulative amount.</param>
/// <param name="Nonce">The voucher's nonce.</param>
/// <param name="Signature">The creator's signature over the voucher.</param>
public sealed record ChannelVoucherProof(
    Bytes32 ChannelId,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger CumulativeAmount,
    ulong Nonce,
    EcdsaSignature Signature)
{
    /// <summary>The voucher without its signature.</summary>
    [JsonIgnore]
    public PaymentVoucher Voucher => new(ChannelId, CumulativeAmount, Nonce);
}

/// <summary>How the creator named in a record was authenticated: what a verdict tells about the creator.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CreatorAuthentication>))]
public enum CreatorAuthentication
{
    /// <summary>The record names no creator (anonymous request).</summary>
    None,

    /// <summary>
    /// The record holds only a salted commitment to a creator. It names nobody and proves nothing
    /// until the creator opens it (reveals the address and salt, and signs with that address).
    /// </summary>
    PrivateCommitment,

    /// <summary>The creator signed the request (<see cref="CreatorRequest"/>) with a nonce used once.</summary>
    CreatorSignature,

    /// <summary>The creator is the channel's creator: the signer of the voucher that paid, checked against the channel on chain.</summary>
    ChannelVoucher,
}
