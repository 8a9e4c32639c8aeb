using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Manifests;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>
/// Accepts a manifest store for a record when it is a well-formed C2PA manifest store whose active
/// manifest is labelled <see cref="RecordManifestLabel.For"/> the record's digest: a store naming another
/// record (or none) is refused. Its claim signature, certificate chain and the certificate's binding to
/// the record's node are NOT checked yet (see <see cref="IManifestStoreCheck"/>).
/// </summary>
public sealed class ActiveManifestLabelCheck : IManifestStoreCheck
{
    /// <inheritdoc />
    public string? Refuse(ReadOnlyMemory<byte> store, SignedProvenanceRecord signed, Bytes32 recordDigest)
    {
        string label;
        try
        {
            label = ManifestStoreShape.ActiveManifestLabel(store);
        }
        catch (JumbfException e)
        {
            return $"The manifest store sent with the record {recordDigest} is not a C2PA manifest store: {e.Message}.";
        }

        return RecordManifestLabel.Names(label, recordDigest)
            ? null
            : $"The manifest store's active manifest is '{label}', not the record's manifest {RecordManifestLabel.For(recordDigest)}: a store is kept only for the record it names.";
    }
}
