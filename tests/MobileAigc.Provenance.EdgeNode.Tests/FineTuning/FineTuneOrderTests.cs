using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.FineTuning;
using MobileAigc.Provenance.EdgeNode.Generation;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>Every bad fine-tune request is refused with its problem type before anything is paid or queued.</summary>
public sealed class FineTuneOrderTests : IDisposable
{
    private static readonly string[] Examples = ["We hold these truths to be self-evident, that all men are created equal."];
    private readonly ModelCatalog _catalog = ModelCatalog.Load(RepositoryPaths.Models);
    private readonly FineTuningOptions _options = new() { MaxExampleBytes = 1_000, MaxExamples = 3 };

    public static TheoryData<string, string[]?, string?, string?, string?, string, int> BadRequests() => new()
    {
        { "no-such-model", ["some text here"], "mine", null, null, GenerationProblemTypes.UnknownModel, 404 },
        { "kjv-char-mlp", null, "mine", null, null, FineTuneProblemTypes.ExamplesEmpty, 400 },
        { "kjv-char-mlp", [], "mine", null, null, FineTuneProblemTypes.ExamplesEmpty, 400 },
        { "kjv-char-mlp", ["", "   "], "mine", null, null, FineTuneProblemTypes.ExamplesEmpty, 400 },
        { "kjv-char-mlp", ["a text", "b text", "c text", "d text"], "mine", null, null, FineTuneProblemTypes.ExamplesTooLarge, 413 },
        { "kjv-char-mlp", [new string('x', 1_001)], "mine", null, null, FineTuneProblemTypes.ExamplesTooLarge, 413 },
        // 500 characters of two UTF-8 bytes each: within 1,000 characters, over 1,000 bytes.
        { "kjv-char-mlp", [new string('é', 501)], "mine", null, null, FineTuneProblemTypes.ExamplesTooLarge, 413 },
        { "cppn-image", ["a picture of the sea"], "mine", null, null, FineTuneProblemTypes.UnsupportedData, 422 },
        { "kjv-char-mlp", ["some text here", "short"], "mine", null, null, FineTuneProblemTypes.UnsupportedData, 422 },
        { "kjv-char-mlp", ["some text here", null!], "mine", null, null, FineTuneProblemTypes.UnsupportedData, 422 },
        { "kjv-char-mlp", ["some text here"], null, null, null, FineTuneProblemTypes.InvalidParameter, 400 },
        { "kjv-char-mlp", ["some text here"], "Mine", null, null, FineTuneProblemTypes.InvalidParameter, 400 },
        { "kjv-char-mlp", ["some text here"], "../escape", null, null, FineTuneProblemTypes.InvalidParameter, 400 },
        { "kjv-char-mlp", ["some text here"], new string('a', 65), null, null, FineTuneProblemTypes.InvalidParameter, 400 },
        { "kjv-char-mlp", ["some text here"], "mine", "everyone", null, FineTuneProblemTypes.InvalidParameter, 400 },
        { "kjv-char-mlp", ["some text here"], "mine", null, "friends", FineTuneProblemTypes.InvalidParameter, 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Check_BadRequest_IsRefusedWithItsType(string model, string[]? examples, string? name, string? owner, string? visibility, string type, int status)
    {
        var request = new FineTuneRequest(examples, name, Owner: owner, Visibility: visibility);

        var refused = Assert.Throws<FineTuneRefusedException>(() => FineTuneOrder.Check(model, request, _catalog, _options));

        Assert.Equal((type, status), (refused.ProblemType, refused.Status));
    }

    [Fact]
    public void Check_ImageModelGivenTexts_SaysItLearnsFromPictures()
    {
        var refused = Assert.Throws<FineTuneRefusedException>(() =>
            FineTuneOrder.Check("cppn-image", new FineTuneRequest(["a picture"], "mine"), _catalog, _options));

        Assert.Equal((FineTuneProblemTypes.UnsupportedData, 422), (refused.ProblemType, refused.Status));
        Assert.Contains("learns from example pictures", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ImageModelGivenPictures_OrdersThePicturesAndNoTexts()
    {
        var order = FineTuneOrder.Check("cppn-image", new FineTuneRequest(null, "sunsets", Pictures: FineTuneNodes.SamplePictures), _catalog, _options);

        Assert.Same(FineTuneNodes.SamplePictures, order.Pictures);
        Assert.Empty(order.Examples);
    }

    [Fact]
    public void Check_TextModelGivenTexts_OrdersNoPictures()
    {
        var order = FineTuneOrder.Check("kjv-char-mlp", new FineTuneRequest(Examples, "psalms-3"), _catalog, _options);

        Assert.Null(order.Pictures);
    }

    [Fact]
    public void Check_GoodRequestByHash_DefaultsToSeedOnePrivateAndTheCreator()
    {
        var model = _catalog.Find("kjv-char-mlp");

        var order = FineTuneOrder.Check(model.ModelHash.ToString(), new FineTuneRequest(Examples, "psalms-2"), _catalog, _options);

        Assert.Equal((model.ModelHash, "psalms-2", 1UL, DerivativeOwners.Creator, ModelVisibilities.Private),
            (order.Base.ModelHash, order.Name, order.Seed, order.Owner, order.Visibility));
    }

    public void Dispose() => _catalog.Dispose();
}
