using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>
/// A node whose chain node does not answer, on the real host process: the answer says the chain is
/// unavailable and nothing of what the RPC client said (hosts, ports, socket errors), which stays in the log.
/// </summary>
public sealed class ChainUnavailableAnswerTests : IDisposable
{
    private const string ClosedRpc = "http://127.0.0.1:1/";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task ModelsAndGenerate_ChainUnreadable_Answer503WithAFixedDetail()
    {
        await using var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, new Dictionary<string, string>
        {
            ["Payments__RpcUrl"] = ClosedRpc,
            ["Payments__PaymentChannels"] = "0x" + new string('1', 40),
            ["Payments__ModelRegistry"] = "0x" + new string('2', 40),
            ["Payments__SettlementEnabled"] = "false",
        });
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };

        var answers = new[]
        {
            await http.GetAsync(EdgeRoutes.Models),
            await http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5)),
        };

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            var problem = (await answer.Content.ReadFromJsonAsync<ProblemDetails>())!;
            Assert.Equal(PaymentProblemTypes.ChainUnavailable, problem.Type);
            Assert.StartsWith("The node cannot read the chain right now.", problem.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", problem.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(":1", problem.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("refused", problem.Detail, StringComparison.OrdinalIgnoreCase);
        }
    }

    public void Dispose() => _dir.Dispose();
}
