using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// The real ledger host on a temporary SQLite database, with one shared watermark key file and a
/// chain endpoint where nothing listens (these tests exercise the HTTP surface, not anchoring).
/// </summary>
public sealed class VerificationHostFactory : WebApplicationFactory<Program>
{
    /// <summary>The upload limit configured: small, so that the oversize test stays cheap.</summary>
    public const long MaxUploadBytes = 2 * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-verify-").FullName;

    public VerificationHostFactory() => File.WriteAllText(KeyFile, Key.ToHex() + "\n");

    public WatermarkKey Key { get; } = WatermarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private string KeyFile => Path.Combine(_directory, "watermark.key");

    /// <summary>Stores a row directly, as ingest would (its signature is not checked by the lookups tested here).</summary>
    public async Task<StoredRecord> StoreAsync(Bytes32 contentHash, Bytes32 perceptualHash, Bytes32 watermarkId)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<LedgerDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var row = new StoredRecord
        {
            Digest = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            ContentHash = contentHash,
            PerceptualHash = perceptualHash,
            WatermarkId = watermarkId,
            NodeSequence = Random.Shared.NextInt64(1, long.MaxValue),
            Signature = new byte[65],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        };
        db.Records.Add(row);
        await db.SaveChangesAsync();
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
        builder.UseSetting("Ledger:Chain:ProvenanceLedger", "0x00000000000000000000000000000000000000a2");
        builder.UseSetting("Ledger:Verification:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ledger:Verification:WatermarkKeyFiles:0", KeyFile);
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
