using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary>
/// The round trip every part of the system takes part in, step by step, each step printed with
/// what the chain answered. Every actor has a fresh key funded on the local anvil.
/// </summary>
internal sealed class RoundTrip(AnvilNode anvil, IAnsiConsole console, TimeProvider time)
{
    private static readonly BigInteger Wei = BigInteger.Pow(10, 18);
    private static readonly BigInteger PricePerGeneration = Wei / 10_000; // 0.0001 ETH
    private const ushort RoyaltyBasisPoints = 1_000; // 10 %

    public async Task RunAsync(int recordCount, FileInfo? modelFile, CancellationToken cancellationToken)
    {
        console.Write(new Rule("[bold]MobileAigc.Provenance round trip[/]").LeftJustified());
        console.MarkupLineInterpolated($"anvil at [blue]{anvil.RpcUrl}[/], chain id {anvil.ChainId}");

        var ledgerOperator = await NewActorAsync();
        var modelOwner = await NewActorAsync();
        var provider = await NewActorAsync();
        var creator = await NewActorAsync();
        var nodeKey = EthECKey.GenerateKey();
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());

        var contracts = await ProvenanceContracts.DeployAsync(ledgerOperator.Web3);
        Step("Deployed the contracts", $"ModelRegistry {contracts.ModelRegistry}, ProvenanceLedger {contracts.ProvenanceLedger}, PaymentChannels {contracts.PaymentChannels}");

        var (modelHash, modelSource) = await ModelHashAsync(modelFile, cancellationToken);
        var registration = await contracts.RegistryFor(modelOwner.Web3)
            .RegisterModelAsync(modelHash, "ipfs://mobileaigc/demo-model.json", PricePerGeneration, RoyaltyBasisPoints);
        var model = await contracts.RegistryFor(creator.Web3).GetModelAsync(modelHash);
        Step("Model owner registered a model", $"{modelHash} ({modelSource}) as ERC-721 token owned by {model.Owner}; price {Eth(model.PricePerGeneration)} ETH, royalty {model.RoyaltyBasisPoints / 100.0:0.##} % [grey](gas {registration.GasUsed})[/]");

        await contracts.RegistryFor(provider.Web3).RegisterNodeAsync(node, [modelHash]);
        Step("Edge provider registered a node key", $"node {node}, operator {provider.Address}, serves the model: {await contracts.RegistryFor(creator.Web3).IsNodeAuthorizedAsync(node, modelHash)}");

        var ledger = contracts.LedgerFor(ledgerOperator.Web3);
        var records = SignRecords(recordCount, modelHash, node, creator.Address, nodeKey, ledger.Domain);
        Step("Node signed provenance records", $"{recordCount} records, EIP-712 in domain {ledger.Domain.Name} v{ledger.Domain.Version}; every signature recovers to the node: {records.All(r => ProvenanceRecordTypedData.IsSignedByNode(r.Record, ledger.Domain, r.Signature))}");

        var attestation = await contracts.LedgerFor(creator.Web3).AttestAsync(records[0].Record, records[0].Signature);
        Step("Creator relayed one record as a single attestation", $"block {attestation.BlockNumber} [grey](gas {attestation.GasUsed})[/]");

        var digests = records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, ledger.Domain)).ToList();
        var tree = MerkleTree.Build(digests);
        var firstSequence = await ledger.NextSequenceAsync();
        var (batchId, anchoring) = await ledger.AnchorBatchAsync(tree.Root, firstSequence, (uint)recordCount);
        Step("Ledger anchored the batch", $"batch {batchId}, root {tree.Root}, sequences {firstSequence}..{firstSequence + (ulong)recordCount - 1}, tx {anchoring.Hash} [grey](gas {anchoring.GasUsed}: {anchoring.GasUsed / recordCount} per record)[/]");

        var included = 0;
        for (var i = 0; i < digests.Count; i++)
        {
            included += await ledger.VerifyInclusionAsync(tree.Root, digests[i], tree.GetProof(i)) ? 1 : 0;
        }

        Step("Auditor checked every inclusion proof on chain", $"{included} of {recordCount} proofs accepted by ProvenanceLedger.verifyInclusion");

        var channels = contracts.ChannelsFor(creator.Web3);
        var deposit = PricePerGeneration * (recordCount + 5);
        var expiry = await anvil.LatestBlockTimeAsync() + TimeSpan.FromHours(1);
        var (channelId, opening) = await channels.OpenChannelAsync(provider.Address, modelHash, EvmAddress.Zero, deposit, expiry);
        Step("Creator opened a payment channel", $"{channelId}, deposit {Eth(deposit)} ETH, expires {expiry:u} [grey](gas {opening.GasUsed})[/]");

        var latest = SignVouchers(recordCount, channelId, creator.Key, channels.Domain);
        Step("Creator paid per generation with cumulative vouchers", $"{recordCount} vouchers; the latest promises {Eth(latest.Voucher.CumulativeAmount)} ETH (nonce {latest.Voucher.Nonce})");

        var settlement = await contracts.ChannelsFor(provider.Web3).SettleAsync([latest]);
        var providerCredit = await channels.BalanceOfAsync(EvmAddress.Zero, provider.Address);
        var royaltyCredit = await channels.BalanceOfAsync(EvmAddress.Zero, modelOwner.Address);
        Step("Provider settled the channel", $"paid {Eth(settlement.TotalPaid)} ETH: provider {Eth(providerCredit)}, model owner royalty {Eth(royaltyCredit)} [grey](gas {settlement.Transaction.GasUsed})[/]");

        try
        {
            await contracts.ChannelsFor(provider.Web3).SettleAsync([latest]);
            throw new InvalidOperationException("PaymentChannels accepted a voucher twice.");
        }
        catch (ContractRevertException replay)
        {
            Step("Provider replayed the same voucher", $"refused: {Markup.Escape(replay.Message)}");
        }

        await contracts.ChannelsFor(provider.Web3).WithdrawAsync(EvmAddress.Zero);
        await contracts.ChannelsFor(modelOwner.Web3).WithdrawAsync(EvmAddress.Zero);
        Step("Provider and model owner withdrew", $"credits left: provider {Eth(await channels.BalanceOfAsync(EvmAddress.Zero, provider.Address))}, model owner {Eth(await channels.BalanceOfAsync(EvmAddress.Zero, modelOwner.Address))}");

        await anvil.IncreaseTimeAsync(TimeSpan.FromHours(2));
        var remaining = (await channels.GetChannelAsync(channelId)).Remaining;
        await channels.CloseExpiredAsync(channelId);
        Step("Channel expired; creator closed it", $"refunded {Eth(remaining)} ETH; closed: {(await channels.GetChannelAsync(channelId)).Closed}");

        console.Write(new Rule("[green]round trip complete[/]").LeftJustified());
    }

    private void Step(string title, string detail) => console.MarkupLine($"[green]✓[/] [bold]{Markup.Escape(title)}[/]: {detail}");

    private async Task<Actor> NewActorAsync()
    {
        var key = EthECKey.GenerateKey();
        var account = new Account(key, (BigInteger)anvil.ChainId);
        await anvil.SetBalanceAsync(EvmAddress.Parse(account.Address), 100 * Wei);
        return new Actor(key, EvmAddress.Parse(account.Address), anvil.Web3For(account));
    }

    private static async Task<(Bytes32 Hash, string Source)> ModelHashAsync(FileInfo? modelFile, CancellationToken cancellationToken)
    {
        if (modelFile is not null)
        {
            await using var stream = modelFile.OpenRead();
            return (Bytes32.FromBytes(await SHA256.HashDataAsync(stream, cancellationToken)), $"SHA-256 of {modelFile.Name}");
        }

        // No ONNX model ships yet (the edge node brings them); a fixed descriptor stands in for one.
        return (Bytes32.Sha256(Encoding.UTF8.GetBytes("mobileaigc demo model descriptor v1")), "SHA-256 of the built-in demo descriptor");
    }

    private List<(ProvenanceRecord Record, EcdsaSignature Signature)> SignRecords(
        int count, Bytes32 modelHash, EvmAddress node, EvmAddress creator, EthECKey nodeKey, ContractDomain domain)
    {
        return Enumerable.Range(0, count).Select(i =>
        {
            var content = Encoding.UTF8.GetBytes($"sample generation {i}");
            var salt = RandomNumberGenerator.GetBytes(32);
            var record = new ProvenanceRecord(
                ContentHash: Bytes32.Sha256(content),
                PerceptualHash: Bytes32.Zero,
                ModelHash: modelHash,
                Node: node,
                Creator: creator,
                CreatorCommitment: Bytes32.Zero,
                PromptCommitment: Bytes32.Sha256([.. salt, .. Encoding.UTF8.GetBytes($"prompt {i}")]),
                ParametersHash: Bytes32.Sha256(Encoding.UTF8.GetBytes($"{{\"seed\":{i}}}")),
                Timestamp: (ulong)time.GetUtcNow().ToUnixTimeSeconds(),
                WatermarkId: Bytes32.Zero,
                Sequence: (ulong)i + 1);
            return (record, ProvenanceRecordTypedData.Sign(record, domain, nodeKey));
        }).ToList();
    }

    private static SignedPaymentVoucher SignVouchers(int count, Bytes32 channelId, EthECKey creatorKey, ContractDomain domain)
    {
        SignedPaymentVoucher? latest = null;
        for (var generation = 1; generation <= count; generation++)
        {
            var voucher = new PaymentVoucher(channelId, PricePerGeneration * generation, (ulong)generation);
            latest = new SignedPaymentVoucher(voucher, PaymentVoucherTypedData.Sign(voucher, domain, creatorKey));
        }

        return latest!;
    }

    private static string Eth(BigInteger wei) => ((decimal)wei / (decimal)Wei).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Actor(EthECKey Key, EvmAddress Address, IWeb3 Web3);
}
