using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Cli.Demo.Serving;
using MobileAigc.Provenance.Cli.Demo.Steps;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary>What the round trip generates.</summary>
/// <param name="Images">Images the creator asks for (each paid through the payment channel).</param>
/// <param name="Texts">Texts the creator asks for (the text model is registered free).</param>
/// <param name="ModelsDirectory">The models the node serves.</param>
/// <param name="OutputDirectory">Where the generated files, their records and the services' folders go.</param>
internal sealed record RoundTripPlan(int Images, int Texts, string ModelsDirectory, string OutputDirectory);

/// <summary>
/// The round trip every part of the system takes part in, as its users live it: the edge node and
/// the ledger run as their own processes, and every actor acts only through what it has: its own
/// key on the chain, the creators' client library, and the services' HTTP APIs. Each step is
/// printed with what the services or the chain answered.
/// </summary>
internal sealed class RoundTrip(AnvilNode anvil, ServiceHosts hosts, LocalPorts ports, Script script)
{
    private static readonly BigInteger ImagePrice = Ether.Wei / 10_000; // 0.0001 ETH per image
    private const ushort RoyaltyBasisPoints = 1_000; // 10 %
    private const ushort DerivativeRoyaltyBasisPoints = 500; // 5 %
    private const int DerivativeTexts = 2;

    /// <summary>
    /// Runs the round trip; with <paramref name="thenServe"/>, hands it the still running network once the round trip is
    /// complete and stops the services only when it returns.
    /// </summary>
    public async Task RunAsync(RoundTripPlan plan, Func<ServedNetwork, CancellationToken, Task>? thenServe, CancellationToken cancellationToken)
    {
        script.Console.Write(new Rule("[bold]MobileAigc.Provenance round trip[/]").LeftJustified());
        script.Console.MarkupLineInterpolated($"anvil at [blue]{anvil.RpcUrl}[/], chain id {anvil.ChainId}; output in [blue]{plan.OutputDirectory}[/]");
        Directory.CreateDirectory(plan.OutputDirectory);

        var actors = await Actors.FundedAsync(anvil, cancellationToken);
        // This anvil mines per transaction: registry clients mine the blocks a model commitment must age.
        var contracts = await ProvenanceContracts.DeployAsync(actors.LedgerOperator.Web3, cancellationToken) with { AwaitBlock = anvil.MineUntilAsync };
        // Written as `provenance deploy` writes it: both services read their chain and contracts from it.
        var deploymentFile = Path.Combine(plan.OutputDirectory, "deployment.json");
        await new DeploymentFile(contracts, actors.LedgerOperator.Address).WriteAsync(deploymentFile, overwrite: true, cancellationToken);
        script.Step("Deployed the contracts", $"ModelRegistry {contracts.ModelRegistry}, ProvenanceLedger {contracts.ProvenanceLedger}, PaymentChannels {contracts.PaymentChannels} (deployment file {deploymentFile})");

        // The provider starts its node. It settles a channel once it owes all the images: one settlement for the lot.
        var services = new LocalServices(hosts, anvil, deploymentFile, ports, plan.OutputDirectory);
        await using var nodeProcess = await services.StartEdgeNodeAsync(plan.ModelsDirectory, ImagePrice * Math.Max(plan.Images, 1), cancellationToken);
        using var provider = new EdgeProvider(script, anvil, contracts, actors.Provider, services, nodeProcess);
        var node = await provider.ShowStartedAsync(cancellationToken);

        var modelOwner = new ModelOwner(script, contracts, actors.ModelOwner);
        await modelOwner.RegisterModelsAsync(node.Image, node.Text, ImagePrice, RoyaltyBasisPoints, cancellationToken);
        await provider.RegisterNodeAsync(node, cancellationToken);
        await modelOwner.ApproveNodeAsync(node, cancellationToken);
        var terms = await provider.FundNodeKeyAsync(node, cancellationToken);

        // The creator pays per image through a channel and asks for content; the node queues every record for the ledger.
        using var creator = new Creator(script, anvil, contracts, actors.Creator, nodeProcess.BaseAddress, plan.OutputDirectory);
        Bytes32? channelId = plan.Images > 0 ? await creator.OpenChannelAsync(terms, node.Image, ImagePrice, plan.Images, cancellationToken) : null;
        IReadOnlyList<GenerateImageResponse> images = channelId is { } paying ? await creator.GenerateImagesAsync(plan.Images, paying, cancellationToken) : [];
        if (channelId is { } channel)
        {
            await creator.TryBadVouchersAsync(channel, ImagePrice, cancellationToken);
        }

        var texts = await creator.GenerateTextsAsync(plan.Texts, cancellationToken);

        // The ledger operator starts the ledger; the node's own dispatcher delivers the queued records to it.
        await using var ledgerProcess = await services.StartLedgerAsync(actors.LedgerOperator.Key, plan.ModelsDirectory, cancellationToken);
        script.Step("Ledger service started", $"{ledgerProcess.BaseAddress} (process {ledgerProcess.ProcessId}, log {ledgerProcess.LogFile}; SQLite in {Path.Combine(services.LedgerDirectory, "db")}, anchoring as {actors.LedgerOperator.Address}; API reference at {ledgerProcess.BaseAddress}scalar/v1, verification page at {ledgerProcess.BaseAddress})");
        Bytes32[] digests = [.. images.Select(i => i.RecordDigest), .. texts.Select(t => t.RecordDigest)];
        await provider.WaitForDeliveryAsync(digests, cancellationToken);

        using var auditor = new Auditor(script, contracts, new Web3(anvil.RpcUrl.ToString()), ledgerProcess.BaseAddress, services.AdminKey, plan.OutputDirectory);
        var anchored = await auditor.WaitForAnchoringAsync(digests, cancellationToken);
        await auditor.CheckProofsAsync(anchored, cancellationToken);
        await provider.WaitForKeptProofsAsync(digests, cancellationToken);

        var verifier = new Verifier(script, auditor.Ledger, plan.OutputDirectory);
        if (images.Count > 0)
        {
            await verifier.VerifyImageAsync(images[0], cancellationToken);
        }

        await auditor.ReconcileAsync(cancellationToken);
        await auditor.ExportAsync(cancellationToken);
        await auditor.ReadDashboardAsync(cancellationToken);
        if (texts.Count > 0)
        {
            await verifier.VerifyTextAsync(texts[0], cancellationToken);
        }

        // The node's settlement worker has settled the channel on its own; the money leaves the contract.
        if (channelId is { } settledChannel)
        {
            // The channel pays the node's operator: the node settles on its behalf.
            var providerAddress = actors.Provider.Address;
            await provider.WaitForSettlementAsync(settledChannel, providerAddress, auditor.Ledger, modelOwner.Address, cancellationToken);
            await provider.ReplayVoucherAsync(settledChannel, cancellationToken);
            await provider.WithdrawAsync(cancellationToken);
            await modelOwner.WithdrawAsync(cancellationToken);
            var credits = contracts.ChannelsFor(actors.LedgerOperator.Web3);
            script.Step("Provider and model owner withdrew", $"credits left: provider {Ether.Format(await credits.BalanceOfAsync(EvmAddress.Zero, providerAddress, cancellationToken))}, model owner {Ether.Format(await credits.BalanceOfAsync(EvmAddress.Zero, modelOwner.Address, cancellationToken))}");
            await creator.CloseExpiredChannelAsync(settledChannel, cancellationToken);
            await auditor.AuditSettlementsAsync(providerAddress, cancellationToken);
            await creator.DiscoverOffersAsync(auditor.Ledger, node.Image.ModelHash, cancellationToken);
        }

        if (plan.Texts > 0)
        {
            var personalisation = new PersonalisationActors(provider, creator, new ModelOwner(script, contracts, actors.Creator), auditor, actors.Provider.Address, modelOwner.Address);
            await PersonaliseAsync(plan, node, personalisation, contracts, cancellationToken);
        }

        if (thenServe is not null)
        {
            script.Console.Write(new Rule("[green]round trip complete[/]").LeftJustified());
            await thenServe(new ServedNetwork(anvil, actors, services, ledgerProcess, nodeProcess, node, plan.OutputDirectory), cancellationToken);
        }

        await ledgerProcess.DisposeAsync();
        await nodeProcess.DisposeAsync();
        script.Step("Stopped the ledger and the edge node", $"processes {ledgerProcess.ProcessId} and {nodeProcess.ProcessId}; logs in {ledgerProcess.LogFile} and {nodeProcess.LogFile}");
        if (thenServe is null)
        {
            script.Console.Write(new Rule("[green]round trip complete[/]").LeftJustified());
        }
    }

    /// <summary>
    /// The creator has the node fine-tune the text model on their own texts, registers the result as a derivative they
    /// own and approves the node; the provider adds it to the node; the creator pays for texts with it; the node settles;
    /// every owner of the lineage is credited its royalty, checked to the wei against the split the contract promises,
    /// and the ledger shows the lineage with what each received.
    /// </summary>
    private async Task PersonaliseAsync(RoundTripPlan plan, ServedNode node, PersonalisationActors actors, ProvenanceContracts contracts, CancellationToken cancellationToken)
    {
        script.Console.Write(new Rule("[bold]a personalised model[/]").LeftJustified());
        var job = await actors.Creator.FineTuneAsync(node.Text, Path.Combine(plan.ModelsDirectory, "samples", "factbook-creator.txt"), "kjv-char-mlp-factbook", cancellationToken);
        var derivative = job.DerivativeHash!.Value;
        // Each text reaches the node's settlement threshold, so the node settles on its own.
        var price = ImagePrice * Math.Max(plan.Images, 1);
        await actors.DerivativeOwner.RegisterDerivativeAsync(job, node.Node, price, DerivativeRoyaltyBasisPoints, cancellationToken);
        var served = new ServedModelInfo(job.Name, "text", derivative, 0, null);
        await actors.Provider.ServeModelAsync(node.Node, served, cancellationToken);

        var credits = contracts.ChannelsFor(new Web3(anvil.RpcUrl.ToString()));
        EvmAddress[] accounts = [actors.RootOwner, actors.DerivativeOwner.Address, actors.ProviderAddress];
        var before = await Task.WhenAll(accounts.Select(a => credits.BalanceOfAsync(EvmAddress.Zero, a, cancellationToken)));
        var terms = await actors.Provider.FundNodeKeyAsync(node, cancellationToken);
        var channel = await actors.Creator.OpenChannelAsync(terms, served, price, DerivativeTexts, cancellationToken);
        var texts = await actors.Creator.GenerateTextsAsync(DerivativeTexts, served, channel, "personal-text", cancellationToken);
        await actors.Provider.WaitForSettlementAsync(channel, actors.ProviderAddress, actors.Auditor.Ledger, actors.DerivativeOwner.Address, cancellationToken);

        // What PaymentChannels promises for a cumulative amount x: the royalty floor(x * 15 %), split root first by rate, the rest to the provider.
        var paid = price * texts.Count;
        var royalty = paid * (RoyaltyBasisPoints + DerivativeRoyaltyBasisPoints) / 10_000;
        var rootShare = royalty * RoyaltyBasisPoints / (RoyaltyBasisPoints + DerivativeRoyaltyBasisPoints);
        BigInteger[] expected = [rootShare, royalty - rootShare, paid - royalty];
        var after = await Task.WhenAll(accounts.Select(a => credits.BalanceOfAsync(EvmAddress.Zero, a, cancellationToken)));
        var gained = after.Zip(before, (a, b) => a - b).ToArray();
        if (!gained.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The settlement credited {string.Join("/", gained)} wei; the lineage's rates promise {string.Join("/", expected)}.");
        }

        script.Step("Settlement paid the whole lineage, to the wei",
            $"{Ether.Format(paid)} ETH for {texts.Count} texts: the text model's owner {actors.RootOwner} +{expected[0]} wei (its 10 % as the root), the creator as the derivative's owner +{expected[1]} wei (5 %), the provider +{expected[2]} wei: each the split PaymentChannels promises");
        await actors.Auditor.ReadModelLineageAsync(derivative, new Dictionary<Bytes32, BigInteger> { [node.Text.ModelHash] = expected[0], [derivative] = expected[1] }, cancellationToken);
    }

    /// <summary>Who takes part in <see cref="PersonaliseAsync"/>.</summary>
    private sealed record PersonalisationActors(
        EdgeProvider Provider, Creator Creator, ModelOwner DerivativeOwner, Auditor Auditor, EvmAddress ProviderAddress, EvmAddress RootOwner);
}
