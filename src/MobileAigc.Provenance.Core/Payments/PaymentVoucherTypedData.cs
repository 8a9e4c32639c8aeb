using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Payments;

/// <summary>
/// The EIP-712 encoding of <see cref="PaymentVoucher"/>, byte for byte what
/// <c>PaymentChannels.hashVoucher</c> computes on chain.
/// </summary>
public static class PaymentVoucherTypedData
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "PaymentVoucher(bytes32 channelId,uint256 cumulativeAmount,uint64 nonce)";

    private static readonly TypedDataCodec<Message> Codec = new("PaymentVoucher");

    /// <summary>The voucher's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(PaymentVoucher voucher, ContractDomain domain) =>
        Codec.Digest(Message.From(voucher), domain);

    /// <summary>Signs the voucher with the creator's key.</summary>
    public static EcdsaSignature Sign(PaymentVoucher voucher, ContractDomain domain, EthECKey creatorKey) =>
        EcdsaSignature.FromBytes(Codec.Sign(Message.From(voucher), domain, creatorKey));

    /// <summary>The address whose key produced <paramref name="signature"/> over the voucher.</summary>
    public static EvmAddress RecoverSigner(PaymentVoucher voucher, ContractDomain domain, EcdsaSignature signature) =>
        Codec.Recover(Message.From(voucher), domain, signature.AsSpan());

    [Struct("PaymentVoucher")]
    private sealed class Message
    {
        [Parameter("bytes32", "channelId", 1)] public byte[] ChannelId { get; set; } = [];
        [Parameter("uint256", "cumulativeAmount", 2)] public BigInteger CumulativeAmount { get; set; }
        [Parameter("uint64", "nonce", 3)] public ulong Nonce { get; set; }

        public static Message From(PaymentVoucher voucher) => new()
        {
            ChannelId = voucher.ChannelId.ToArray(),
            CumulativeAmount = voucher.CumulativeAmount,
            Nonce = voucher.Nonce,
        };
    }
}
