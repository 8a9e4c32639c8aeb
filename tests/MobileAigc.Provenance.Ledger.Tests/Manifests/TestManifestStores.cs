using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Tests.Manifests;

/// <summary>Manifest stores shaped as C2PA's JUMBF (a store superbox of manifest superboxes), with no claim inside.</summary>
internal static class TestManifestStores
{
    /// <summary>A store whose manifests carry these labels, the active one last; <paramref name="filler"/> makes stores of one label differ.</summary>
    public static byte[] Labelled(IReadOnlyList<string> labels, byte filler = 0xa0) => JumbfWriter.Write(new JumbfSuperBox(
        C2paContentTypes.ManifestStore,
        "c2pa",
        [.. labels.Select(label => (JumbfBox)new JumbfSuperBox(C2paContentTypes.Manifest, label, JumbfDataBox.Cbor(new[] { filler })))]));

    /// <summary>A store whose active manifest is the record's (after an ingredient's manifest when <paramref name="withIngredient"/>).</summary>
    public static byte[] For(Bytes32 recordDigest, bool withIngredient = false, byte filler = 0xa0) => Labelled(
        withIngredient ? ["urn:c2pa:00000000-0000-4000-8000-000000000001", RecordManifestLabel.For(recordDigest)] : [RecordManifestLabel.For(recordDigest)],
        filler);

    /// <summary>Keeps a store for a stored record directly in the database, as ingest would have.</summary>
    public static async Task<byte[]> KeepAsync(LedgerDbContext db, Bytes32 recordDigest, bool withIngredient = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        var store = For(recordDigest, withIngredient);
        db.ManifestStores.Add(new StoredManifestStore
        {
            RecordDigest = recordDigest,
            ManifestLabel = RecordManifestLabel.For(recordDigest),
            Store = store,
            StoreHash = Bytes32.Sha256(store),
            ReceivedAt = DateTimeOffset.UnixEpoch,
        });
        await db.SaveChangesAsync();
        return store;
    }
}
