using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>Makes signed records for ingest tests.</summary>
internal static class SignedRecords
{
    /// <summary>
    /// A record of <paramref name="nodeKey"/>'s node for <paramref name="model"/>, signed by <paramref name="signer"/> (the node by default),
    /// of content hash <paramref name="contentHash"/> (by default one derived from <paramref name="sequence"/> and <paramref name="content"/>).
    /// </summary>
    public static SignedProvenanceRecord Make(
        ContractDomain domain, EthECKey nodeKey, Bytes32 model, ulong sequence, DateTimeOffset at, EthECKey? signer = null, string content = "",
        Bytes32? contentHash = null)
    {
        var record = new ProvenanceRecord(
            contentHash ?? Bytes32.Sha256(System.Text.Encoding.UTF8.GetBytes($"content {sequence} {content}")),
            Bytes32.Zero,
            model,
            EvmAddress.Parse(nodeKey.GetPublicAddress()),
            EvmAddress.Zero,
            Bytes32.Zero,
            Bytes32.Sha256("prompt"u8),
            Bytes32.Sha256("parameters"u8),
            (ulong)at.ToUnixTimeSeconds(),
            Bytes32.Zero,
            sequence);
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, domain, signer ?? nodeKey));
    }

    /// <summary>Records with sequences <paramref name="first"/>, <paramref name="first"/> + 1, ...</summary>
    public static List<SignedProvenanceRecord> Batch(ContractDomain domain, EthECKey nodeKey, Bytes32 model, ulong first, int count, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => Make(domain, nodeKey, model, first + (ulong)i, at)).ToList();
}
