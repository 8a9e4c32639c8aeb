using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary><c>provenance earnings --node URL --provider-key-file FILE</c>: an edge provider's earnings per channel and per model, settled and pending.</summary>
internal static class EarningsCommand
{
    public static Command Create()
    {
        var node = new Option<string>("--node") { Description = "The edge node's base URL.", Required = true };
        var keyFile = ProviderKeyOption.Create(required: true);
        var earnings = new Command("earnings", "An edge node's earnings per channel and per model: accepted, settled on chain, pending (providers).") { node, keyFile };
        earnings.SetAction((parse, cancellationToken) => CliErrors.RunAsync("earnings", async () =>
        {
            using var http = ServiceHttp.CreateForProvider("--node", parse.GetValue(node)!, parse.GetValue(keyFile)!);
            var report = await ServiceHttp.GetAsync<EarningsReport>(http, "v1/earnings", cancellationToken);
            Console.WriteLine($"provider {report.Provider}");
            foreach (var model in report.Models)
            {
                Console.WriteLine($"  model {model.ModelHash} ({ModelCommand.TokenName(model.Token)}): {model.Generations} generations on {model.Channels} channels, accepted {model.Accepted}, settled {model.Settled}, pending {model.Pending}");
            }

            foreach (var channel in report.Channels)
            {
                Console.WriteLine($"  channel {channel.ChannelId} from {channel.Creator}: accepted {channel.Accepted}, settled {channel.Settled}, pending {channel.Pending}");
            }

            return 0;
        }));
        return earnings;
    }
}
