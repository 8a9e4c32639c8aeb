using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Generation.Tests;

public sealed class OnnxModelTests
{
    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        using var folder = new TemporaryFolder();

        Assert.Throws<FileNotFoundException>(() => OnnxModel.Load(Path.Combine(folder.Path, "absent.onnx")));
    }

    [Fact]
    public void LoadDirectory_MissingFolder_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => OnnxModel.LoadDirectory(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void LoadDirectory_ManifestNamesMissingOnnx_ThrowsFileNotFound()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, ModelManifest.FileName), TinyWordModel.Manifest().ToJson());

        Assert.Throws<FileNotFoundException>(() => OnnxModel.LoadDirectory(folder.Path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Load_CorruptFile_ThrowsInvalidModel(int kind)
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        var good = File.ReadAllBytes(Path.Combine(RepositoryPaths.TextModel, "model.onnx"));
        File.WriteAllBytes(path, kind switch
        {
            0 => [],
            1 => "this is not an onnx graph"u8.ToArray(),
            _ => good[..(good.Length / 2)],
        });

        Assert.Throws<InvalidModelException>(() => OnnxModel.Load(path));
    }

    [Fact]
    public void Load_FileDiffersFromPinnedHash_ThrowsInvalidModel()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        File.WriteAllBytes(path, TinyWordModel.OnnxBytes());
        var manifest = TinyWordModel.Manifest() with { Sha256 = "0x" + new string('0', 64) };

        var error = Assert.Throws<InvalidModelException>(() => OnnxModel.Load(path, manifest));

        Assert.Contains("pins", error.Message);
    }
}
