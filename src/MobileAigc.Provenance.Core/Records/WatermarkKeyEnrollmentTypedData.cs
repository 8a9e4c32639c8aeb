using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The EIP-712 encoding of <see cref="WatermarkKeyEnrollment"/>. Signed in the <c>ProvenanceLedger</c>
/// domain, like records: an enrollment made for one deployment or chain does not hold for another.
/// Checked off chain only (by the ledger service when it loads the key).
/// </summary>
public static class WatermarkKeyEnrollmentTypedData
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "WatermarkKeyEnrollment(address node,bytes32 keyId,uint64 enrolledAt)";

    private static readonly TypedDataCodec<Message> Codec = new("WatermarkKeyEnrollment");

    /// <summary>The enrollment's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(WatermarkKeyEnrollment enrollment, ContractDomain domain) =>
        Codec.Digest(Message.From(enrollment), domain);

    /// <summary>Signs the enrollment with the node's key.</summary>
    public static EcdsaSignature Sign(WatermarkKeyEnrollment enrollment, ContractDomain domain, EthECKey nodeKey) =>
        EcdsaSignature.FromBytes(Codec.Sign(Message.From(enrollment), domain, nodeKey));

    /// <summary>The address whose key produced <paramref name="signature"/> over the enrollment.</summary>
    public static EvmAddress RecoverSigner(WatermarkKeyEnrollment enrollment, ContractDomain domain, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return Codec.Recover(Message.From(enrollment), domain, signature.AsSpan());
    }

    [Struct("WatermarkKeyEnrollment")]
    private sealed class Message
    {
        [Parameter("address", "node", 1)] public string Node { get; set; } = "";
        [Parameter("bytes32", "keyId", 2)] public byte[] KeyId { get; set; } = [];
        [Parameter("uint64", "enrolledAt", 3)] public ulong EnrolledAt { get; set; }

        public static Message From(WatermarkKeyEnrollment enrollment)
        {
            ArgumentNullException.ThrowIfNull(enrollment);
            return new()
            {
                Node = enrollment.Node.ToString(),
                KeyId = enrollment.KeyId.ToArray(),
                EnrolledAt = enrollment.EnrolledAt,
            };
        }
    }
}
