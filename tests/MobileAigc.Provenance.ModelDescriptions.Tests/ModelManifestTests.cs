using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.ModelDescriptions.Tests;

public sealed class ModelManifestTests
{
    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("""{"name":"x","kind":"text"}""")]
    [InlineData("""{"name":"x","kind":"image","file":"../escape.onnx","image":{"latentSize":4}}""")]
    [InlineData("""{"name":"x","kind":"video"}""")]
    public void Parse_InvalidManifest_ThrowsInvalidModel(string json)
    {
        Assert.Throws<InvalidModelException>(() => ModelManifest.Parse(json));
    }

    [Fact]
    public void ToJson_ShippedManifest_RoundTrips()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Models, "kjv-char-mlp", ModelManifest.FileName));

        var manifest = ModelManifest.Parse(text);

        Assert.Equal(text, manifest.ToJson());
        Assert.Equal(ModelKind.Text, manifest.Kind);
    }
}
