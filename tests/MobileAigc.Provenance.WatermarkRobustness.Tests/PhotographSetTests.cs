using System.Security.Cryptography;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness.Tests;

public sealed class PhotographSetTests : IDisposable
{
    private static readonly string ListPath = RepositoryPaths.Combine("bench", "MobileAigc.Provenance.WatermarkRobustness", "photographs.tsv");
    private static readonly string ExcludedPath = RepositoryPaths.Combine("bench", "MobileAigc.Provenance.WatermarkRobustness", "photographs-excluded.tsv");
    private readonly string _cache = Directory.CreateTempSubdirectory("photographs-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public void ReadList_CheckedInList_HoldsAtLeastSixtyDistinctFilesOfFetchedPackages()
    {
        var entries = PhotographEntry.ReadList(ListPath);
        var script = File.ReadAllText(RepositoryPaths.Combine("scripts", "fetch-benchmark-data.sh"));

        Assert.True(entries.Count >= 60, $"{entries.Count} photographs");
        Assert.Equal(entries.Count, entries.Select(e => e.Sha256).Distinct().Count());
        Assert.Equal(entries.Count, entries.Select(e => e.Name).Distinct().Count());
        Assert.All(entries.Select(e => e.Package).Distinct(), package => Assert.Contains($"\n  {package}=", script, StringComparison.Ordinal));
    }

    [Fact]
    public void ReadList_ExcludedList_SharesNoFileWithTheBenchmarkSetAndGivesEveryReason()
    {
        var included = PhotographEntry.ReadList(ListPath).Select(e => (e.Package, e.PathInPackage)).ToHashSet();
        var excluded = File.ReadAllLines(ExcludedPath).Where(l => !l.StartsWith('#') && !l.StartsWith("package\t", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();

        Assert.All(excluded, row => Assert.True(row.Length == 3 && row[2].Length > 0, string.Join(" | ", row)));
        Assert.DoesNotContain(excluded, row => included.Contains((row[0], row[1])));
    }

    [Fact]
    public void ReadList_MalformedRow_NamesTheLine()
    {
        var list = Path.Combine(_cache, "list.tsv");
        File.WriteAllLines(list, ["# comment", "package\tpath\tsha256\tscene", "pkg\tusr/a.png\tnot-a-hash\ta scene"]);

        var error = Assert.Throws<BenchmarkInputException>(() => PhotographEntry.ReadList(list));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadList_PathLeavingThePackage_IsRefused()
    {
        var list = Path.Combine(_cache, "list.tsv");
        File.WriteAllLines(list, [$"pkg\t../../etc/passwd\t{new string('0', 64)}\tescape"]);

        Assert.Throws<BenchmarkInputException>(() => PhotographEntry.ReadList(list));
    }

    [Fact]
    public void Load_MissingFile_NamesItAndTheFetchScript()
    {
        var entry = new PhotographEntry("some-wallpapers", "usr/share/backgrounds/gone.jpg", new string('a', 64), "gone");

        var error = Assert.Throws<BenchmarkInputException>(() => PhotographSet.Load([entry], _cache));

        Assert.Contains(PhotographSet.PathOf(entry, _cache), error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/fetch-benchmark-data.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AlteredFile_IsRefusedWithBothHashes()
    {
        var (entry, bytes) = Store("usr/share/backgrounds/a.png", SyntheticImages.Create(1, 300));
        var altered = entry with { Sha256 = new string('b', 64) };

        var error = Assert.Throws<BenchmarkInputException>(() => PhotographSet.Load([altered], _cache));

        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), error.Message, StringComparison.Ordinal);
        Assert.Contains("different file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, 200, 768, 512)]
    [InlineData(1000, 2000, 512, 1024)]
    [InlineData(512, 512, 512, 512)]
    public void Load_ListedFile_KeepsTheAspectWithTheShortSideAt512(int width, int height, int expectedWidth, int expectedHeight)
    {
        var picture = ImageAttacks.Resize(SyntheticImages.Create(2, 512), width, height);
        var (entry, _) = Store("usr/share/wallpapers/Lake/contents/images/2560x1600.png", picture);

        var set = PhotographSet.Load([entry], _cache);

        var loaded = Assert.Single(set.Pictures);
        Assert.Equal("Lake", loaded.Name);
        Assert.Equal((expectedWidth, expectedHeight), (loaded.Image.Width, loaded.Image.Height));
        Assert.Contains(width < 512 || height < 512 ? "1 of them enlarged" : "0 of them enlarged", set.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AnotherShortSide_ResizesToItAndNamesTheSetApart()
    {
        var (entry, _) = Store("usr/share/wallpapers/Lake/contents/images/2560x1600.png", ImageAttacks.Resize(SyntheticImages.Create(3, 512), 1000, 2000));

        var set = PhotographSet.Load([entry], _cache, shortSide: 300);

        Assert.Equal("photographs-300", set.Section);
        var loaded = Assert.Single(set.Pictures);
        Assert.Equal((300, 600), (loaded.Image.Width, loaded.Image.Height));
        Assert.Equal("photographs", PhotographSet.Load([entry], _cache).Section);
    }

    private (PhotographEntry Entry, byte[] Bytes) Store(string path, RgbImage image)
    {
        var bytes = ImageCodec.Encode(image, ImageFileFormat.Png);
        var entry = new PhotographEntry("test-wallpapers", path, Convert.ToHexStringLower(SHA256.HashData(bytes)), "test scene");
        var file = PhotographSet.PathOf(entry, _cache);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        return (entry, bytes);
    }
}
