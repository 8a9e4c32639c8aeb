using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Playwright;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Lineage;

/// <summary>
/// <c>GET api/models/{hash}/lineage</c>, the verification answer and the verification page's "Model lineage" block,
/// from the real ledger process that indexed a three-model lineage and one settlement on anvil.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class ModelLineageHostTests(ModelLineageFixture fixture) : IClassFixture<ModelLineageFixture>
{
    static ModelLineageHostTests() => SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task GetLineage_Grandchild_AnswersEveryModelFieldByFieldRootLast()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };

        var lineage = await http.GetFromJsonAsync<ModelLineage>(LedgerModels.LineagePath(fixture.Grandchild));

        Assert.NotNull(lineage);
        Assert.Equal(fixture.Grandchild, lineage.ModelHash);
        Assert.True(lineage.Complete);
        Assert.NotNull(lineage.RegistryIndexedThroughBlock);
        Assert.NotNull(lineage.SettlementsIndexedThroughBlock);
        Assert.Equal(3, lineage.Models.Count);
        var (grandchild, child, root) = (lineage.Models[0], lineage.Models[1], lineage.Models[2]);
        var eth = EvmAddress.Zero;
        // One voucher of 1,000,000 wei for the grandchild pays each model of its lineage its own rate of it.
        Assert.Equal(
            new LineageModel(0, fixture.Grandchild, ModelLineageFixture.GrandchildName, fixture.Child, fixture.GrandchildOwner.Address,
                fixture.RegisteredBlocks[2], "3000", 1_500, true),
            grandchild with { RoyaltiesReceived = null });
        Assert.Equal([new ReceivedRoyalty(eth, 1, "150000")], grandchild.RoyaltiesReceived!);
        Assert.Equal(
            new LineageModel(1, fixture.Child, null, fixture.Root, fixture.ChildOwner.Address, fixture.RegisteredBlocks[1], "2000", 1_000, true),
            child with { RoyaltiesReceived = null });
        Assert.Equal([new ReceivedRoyalty(eth, 1, "100000")], child.RoyaltiesReceived!);
        Assert.Equal(
            new LineageModel(2, fixture.Root, ModelLineageFixture.RootName, null, fixture.Deployment.Owner.Address, fixture.RegisteredBlocks[0], "0", 500, true),
            root with { RoyaltiesReceived = null });
        Assert.Equal([new ReceivedRoyalty(eth, 1, "50000")], root.RoyaltiesReceived!);
        Assert.True(lineage.RegistryIndexedThroughBlock >= fixture.RegisteredBlocks[2]);
    }

    [Fact]
    public async Task GetLineage_Root_ListsTheRootAlone()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };

        var lineage = await http.GetFromJsonAsync<ModelLineage>(LedgerModels.LineagePath(fixture.Root));

        Assert.NotNull(lineage);
        var root = Assert.Single(lineage.Models);
        Assert.Equal((0, fixture.Root, (Bytes32?)null), (root.Depth, root.ModelHash, root.ParentHash));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("not-a-hash")]
    [InlineData("0x" + "zz00000000000000000000000000000000000000000000000000000000000000")]
    public async Task GetLineage_MalformedHash_Answers400InvalidRequest(string hash)
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };

        using var response = await http.GetAsync(new Uri($"{LedgerModels.ModelsPath}/{hash}/lineage", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(LedgerProblemTypes.InvalidRequest, problem?.Type);
    }

    [Fact]
    public async Task GetLineage_UnknownModel_Answers404UnknownModel()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var unknown = Bytes32.Sha256("never registered"u8);

        using var response = await http.GetAsync(new Uri(LedgerModels.LineagePath(unknown), UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(RecordProblemTypes.UnknownModel, problem?.Type);
        Assert.Contains(unknown.ToString(), problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RecordMadeWithTheGrandchild_NamesItsLineageRootLast()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };

        var result = await http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{Bytes32.Sha256(fixture.Text)}");

        Assert.NotNull(result);
        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Equal(fixture.Grandchild, result.Model?.ModelHash);
        Assert.NotNull(result.ModelLineage);
        Assert.Equal([fixture.Grandchild, fixture.Child, fixture.Root], result.ModelLineage.Select(m => m.ModelHash));
        Assert.Equal([fixture.GrandchildOwner.Address, fixture.ChildOwner.Address, fixture.Deployment.Owner.Address], result.ModelLineage.Select(m => m.Owner));
        Assert.Equal([1_500, 1_000, 500], result.ModelLineage.Select(m => m.RoyaltyBasisPoints));
        Assert.All(result.ModelLineage, m => Assert.Null(m.RoyaltiesReceived));
    }

    [Fact]
    public async Task Verify_RootModelRecord_HasNoModelLineage()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var digest = fixture.RootRecordContentHash;

        var result = await http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{digest}");

        Assert.NotNull(result);
        Assert.Equal(fixture.Root, result.Model?.ModelHash);
        Assert.Null(result.ModelLineage);
    }

    [Fact]
    public async Task VerificationPage_TextMadeWithTheGrandchild_ShowsTheModelLineageBlock()
    {
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.Text, "verse.txt", "text/plain");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Model lineage (derivative → parent → root)" })).ToBeVisibleAsync();
        var derivative = session.Field("Derivative (made this content)");
        await Expect(derivative).ToContainTextAsync(ModelLineageFixture.GrandchildName);
        await Expect(derivative).ToContainTextAsync(fixture.Grandchild.ToString());
        await Expect(derivative).ToContainTextAsync(new Regex($"owner {Regex.Escape(fixture.GrandchildOwner.Address.ToString())}", RegexOptions.IgnoreCase));
        await Expect(derivative).ToContainTextAsync("royalty 15 %");
        var parent = session.Field("Parent (depth 1)");
        await Expect(parent).ToContainTextAsync(fixture.Child.ToString());
        await Expect(parent).ToContainTextAsync(new Regex($"owner {Regex.Escape(fixture.ChildOwner.Address.ToString())}", RegexOptions.IgnoreCase));
        await Expect(parent).ToContainTextAsync("royalty 10 %");
        var root = session.Field("Root (depth 2)");
        await Expect(root).ToContainTextAsync(ModelLineageFixture.RootName);
        await Expect(root).ToContainTextAsync(fixture.Root.ToString());
        await Expect(root).ToContainTextAsync(new Regex($"owner {Regex.Escape(fixture.Deployment.Owner.Address.ToString())}", RegexOptions.IgnoreCase));
        await Expect(root).ToContainTextAsync("royalty 5 %");
        Assert.Empty(session.Problems);
    }
}
