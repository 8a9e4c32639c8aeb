using System.Formats.Cbor;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes <c>org.mobileaigc.provenance-record</c>: the record digest and its EIP-712 signature and
/// domain, the node address, the ledger's URL and the record's content hash, and the node key's
/// binding of the claim-signing certificate, so that anyone holding the file can check the record
/// on chain without asking this project anything.
/// </summary>
internal static class ProvenanceRecordAssertion
{
    public static byte[] Encode(RecordReference record)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(5 + (record.LedgerUrl is null ? 0 : 1) + (record.CertificateBinding is null ? 0 : 1) + (record.ParentRecord is null ? 0 : 1));
        writer.WriteTextString("recordDigest");
        writer.WriteByteString(record.RecordDigest.AsSpan());
        writer.WriteTextString("recordSignature");
        writer.WriteByteString(record.RecordSignature.AsSpan());
        writer.WriteTextString("eip712Domain");
        WriteDomain(writer, record);
        writer.WriteTextString("nodeAddress");
        writer.WriteTextString(record.NodeAddress.ToString());
        if (record.LedgerUrl is { } ledgerUrl)
        {
            writer.WriteTextString("ledgerUrl");
            writer.WriteTextString(ledgerUrl.AbsoluteUri);
        }

        writer.WriteTextString("contentHash");
        writer.WriteByteString(record.ContentHash.AsSpan());
        if (record.CertificateBinding is { } binding)
        {
            writer.WriteTextString("certificateBinding");
            writer.WriteStartMap(2);
            writer.WriteTextString("certificateSha256");
            writer.WriteByteString(binding.CertificateSha256.AsSpan());
            writer.WriteTextString("nodeSignature");
            writer.WriteByteString(binding.NodeSignature.AsSpan());
            writer.WriteEndMap();
        }

        if (record.ParentRecord is { } parent)
        {
            writer.WriteTextString("parentRecord");
            writer.WriteByteString(parent.AsSpan());
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void WriteDomain(CborWriter writer, RecordReference record)
    {
        var domain = record.Domain;
        if (domain.ChainId.Sign < 0 || domain.ChainId > ulong.MaxValue)
        {
            throw new ArgumentException($"Chain id {domain.ChainId} does not fit an unsigned 64-bit integer.", nameof(record));
        }

        writer.WriteStartMap(4);
        writer.WriteTextString("name");
        writer.WriteTextString(domain.Name);
        writer.WriteTextString("version");
        writer.WriteTextString(domain.Version);
        writer.WriteTextString("chainId");
        writer.WriteUInt64((ulong)domain.ChainId);
        writer.WriteTextString("verifyingContract");
        writer.WriteTextString(domain.VerifyingContract.ToString());
        writer.WriteEndMap();
    }
}
