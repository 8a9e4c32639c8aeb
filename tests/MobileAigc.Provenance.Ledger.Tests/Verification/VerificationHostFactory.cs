using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// The real ledger host on a temporary SQLite database, with one enrolled watermark key and a
/// chain endpoint where nothing listens (these tests exercise the HTTP surface, not anchoring).
/// </summary>
public sealed class VerificationHostFactory : WebApplicationFactory<Program>
{
    /// <summary>The upload limit configured: small, so that the oversize test stays cheap.</summary>
    public const long MaxUploadBytes = 2 * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-verify-").FullName;

    public VerificationHostFactory() => File.WriteAllBytes(
        EnrollmentFile,
        EnrolledWatermarkKey.Create(Key, NodeKey, ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(LedgerContract)), DateTimeOffset.UnixEpoch).ToJsonBytes());

    public WatermarkKey Key { get; } = WatermarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    /// <summary>The node that enrolled <see cref="Key"/>: the one whose rows watermark lookups may find.</summary>
    public EthECKey NodeKey { get; } = EthECKey.GenerateKey();

    /// <summary>The <c>ProvenanceLedger</c> address of the host's chain settings: records signed for it check.</summary>
    public const string LedgerContract = "0x00000000000000000000000000000000000000a2";

    private string EnrollmentFile => Path.Combine(_directory, "watermark-enrollment.json");

    /// <summary>A context on the host's database.</summary>
    public Task<LedgerDbContext> CreateDbContextAsync() =>
        Services.GetRequiredService<IDbContextFactory<LedgerDbContext>>().CreateDbContextAsync();

    /// <summary>Stores a row directly, as ingest would (its signature is not checked by the lookups tested here).</summary>
    public async Task<StoredRecord> StoreAsync(Bytes32 contentHash, Bytes32 perceptualHash, Bytes32 watermarkId) =>
        await StoreAsync(contentHash, perceptualHash, watermarkId, withManifestStore: false);

    /// <summary>Stores a record a node signed, as ingest would have accepted it.</summary>
    public async Task StoreAsync(SignedProvenanceRecord signed, Bytes32 digest)
    {
        await using var db = await CreateDbContextAsync();
        db.Records.Add(StoredRecord.From(signed, digest, DateTimeOffset.UnixEpoch));
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Stores a record as <see cref="StoreAsync(Bytes32, Bytes32, Bytes32)"/>, and a manifest store naming it when <paramref name="withManifestStore"/>;
    /// with <paramref name="pdq"/>, a version 3 record committing to that PDQ hash and quality.
    /// </summary>
    public async Task<StoredRecord> StoreAsync(
        Bytes32 contentHash, Bytes32 perceptualHash, Bytes32 watermarkId, bool withManifestStore, (Bytes32 Hash, int Quality)? pdq = null)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<LedgerDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var row = new StoredRecord
        {
            Digest = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            ContentHash = contentHash,
            PerceptualHash = perceptualHash,
            WatermarkId = watermarkId,
            Node = EvmAddress.Parse(NodeKey.GetPublicAddress()),
            NodeSequence = Random.Shared.NextInt64(1, long.MaxValue),
            Signature = new byte[65],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        };
        if (pdq is { } signed)
        {
            (row.Version, row.PdqHash, row.PdqQuality) = (ProvenanceRecordVersions.V3, signed.Hash, signed.Quality);
            row.Extensions = new ProvenanceRecordExtensionsV3(Bytes32.Zero, signed.Hash, (ushort)signed.Quality).HashStruct();
        }

        db.Records.Add(row);
        await db.SaveChangesAsync();
        if (withManifestStore)
        {
            await Manifests.TestManifestStores.KeepAsync(db, row.Digest);
        }

        return row;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Ledger:Database:Provider", "Sqlite");
        builder.UseSetting("Ledger:Database:DataDirectory", Path.Combine(_directory, "data"));
        builder.UseSetting("Ledger:Chain:RpcUrl", "http://127.0.0.1:9");
        builder.UseSetting("Ledger:Chain:ChainId", "31337");
        builder.UseSetting("Ledger:Chain:ModelRegistry", "0x00000000000000000000000000000000000000a1");
        builder.UseSetting("Ledger:Chain:ProvenanceLedger", LedgerContract);
        builder.UseSetting("Ledger:Verification:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ledger:Verification:WatermarkEnrollmentFiles:0", EnrollmentFile);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is swept by the OS.
        }
    }
}
