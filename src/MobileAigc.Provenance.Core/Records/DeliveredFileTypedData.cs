using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The EIP-712 encoding of <see cref="DeliveredFile"/>, signed in the <c>ProvenanceLedger</c> domain like
/// the record it names. Checked off chain only: the ledger indexes the delivered file's hash once the
/// record's own node signed it, so that nobody else can point a file's hash at someone's record.
/// </summary>
public static class DeliveredFileTypedData
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "DeliveredFile(bytes32 record,bytes32 fileHash)";

    private static readonly TypedDataCodec<Message> Codec = new("DeliveredFile");

    /// <summary>The statement's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(DeliveredFile file, ContractDomain domain) => Codec.Digest(Message.From(file), domain);

    /// <summary>Signs the statement with the node's key.</summary>
    public static SignedDeliveredFile Sign(DeliveredFile file, ContractDomain domain, EthECKey nodeKey) =>
        new(file, EcdsaSignature.FromBytes(Codec.Sign(Message.From(file), domain, nodeKey)));

    /// <summary>The address whose key signed the statement.</summary>
    public static EvmAddress RecoverSigner(SignedDeliveredFile signed, ContractDomain domain)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return Codec.Recover(Message.From(signed.File), domain, signed.Signature.AsSpan());
    }

    [Struct("DeliveredFile")]
    private sealed class Message
    {
        [Parameter("bytes32", "record", 1)] public byte[] Record { get; set; } = [];
        [Parameter("bytes32", "fileHash", 2)] public byte[] FileHash { get; set; } = [];

        public static Message From(DeliveredFile file)
        {
            ArgumentNullException.ThrowIfNull(file);
            return new() { Record = file.Record.ToArray(), FileHash = file.FileHash.ToArray() };
        }
    }
}
