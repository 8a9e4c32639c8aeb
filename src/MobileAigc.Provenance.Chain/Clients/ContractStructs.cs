using ChannelsAbi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;
using CoreRecord = MobileAigc.Provenance.Core.Records.ProvenanceRecord;
using LedgerAbi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>
/// Domain values as the contracts' ABI structs, in one place: the clients, the edge node's
/// settlement worker and the tests all encode records and vouchers through these, so a field
/// added to a struct is mapped once.
/// </summary>
public static class ContractStructs
{
    /// <summary>The record as <c>ProvenanceLedger</c>'s <c>ProvenanceRecord</c> struct (<c>attest</c>, <c>revoke</c>, <c>hashRecord</c>).</summary>
    public static LedgerAbi.ProvenanceRecord ToContractStruct(this CoreRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new()
        {
            Version = record.Version,
            ContentHash = record.ContentHash.ToArray(),
            PerceptualHash = record.PerceptualHash.ToArray(),
            ModelHash = record.ModelHash.ToArray(),
            Node = record.Node.ToString(),
            Creator = record.Creator.ToString(),
            CreatorCommitment = record.CreatorCommitment.ToArray(),
            PromptCommitment = record.PromptCommitment.ToArray(),
            ParametersHash = record.ParametersHash.ToArray(),
            Timestamp = record.Timestamp,
            WatermarkId = record.WatermarkId.ToArray(),
            Sequence = record.Sequence,
            Extensions = record.Extensions.ToArray(),
        };
    }

    /// <summary>The signed voucher as <c>PaymentChannels</c>' <c>SignedVoucher</c> struct (<c>settle</c>).</summary>
    public static ChannelsAbi.SignedVoucher ToContractStruct(this SignedPaymentVoucher voucher)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        return new()
        {
            ChannelId = voucher.Voucher.ChannelId.ToArray(),
            CumulativeAmount = voucher.Voucher.CumulativeAmount,
            Nonce = voucher.Voucher.Nonce,
            Signature = voucher.Signature.ToArray(),
        };
    }
}
