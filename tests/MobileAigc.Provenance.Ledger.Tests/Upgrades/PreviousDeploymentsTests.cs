using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Tests.Audit;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Upgrades;

/// <summary>
/// A previous deployment vouches for old records: every doubt about one (another chain, the current contract, twice,
/// an unreadable file) refuses the start with the key at fault.
/// </summary>
public sealed class PreviousDeploymentsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-previous-deployments-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Resolve_DeploymentFile_TakesItsContractsAndBlock()
    {
        var options = Current();
        var file = await WriteDeploymentFileAsync(chainId: 31337, block: 42);
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { DeploymentFile = file.Path });

        var previous = Assert.Single(PreviousDeployments.Resolve(options));

        Assert.Equal(file.Contracts.ProvenanceLedger, previous.ProvenanceLedger);
        Assert.Equal(file.Contracts.PaymentChannels, previous.PaymentChannels);
        Assert.Equal(42, previous.DeploymentBlock);
        Assert.Equal(31337, previous.ChainId);
        Assert.Null(previous.Anchorers);
    }

    [Fact]
    public void Open_PreviousDeployment_IsListedWithItsDomainAndAnchorers()
    {
        var options = Current();
        var previousLedger = AuditRows.RandomAddress();
        var previousAnchorer = AuditRows.RandomAddress();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = previousLedger.ToString(), Anchorers = { previousAnchorer.ToString() } });
        var anchorer = EthECKey.GenerateKey();

        var chain = LedgerChain.Open(options, anchorer);

        var previous = Assert.Single(chain.Previous);
        Assert.False(previous.IsCurrent);
        Assert.Equal(previousLedger, previous.Domain.VerifyingContract);
        Assert.Equal([previousAnchorer], previous.Anchorers);
        Assert.Same(previous, chain.DeploymentAt(previousLedger));
        Assert.True(chain.Current.IsCurrent);
        Assert.Contains(EvmAddress.Parse(anchorer.GetPublicAddress()), chain.Current.Anchorers);
        Assert.Null(chain.DeploymentAt(AuditRows.RandomAddress()));
    }

    [Fact]
    public void Open_PreviousDeploymentWithoutAnchorers_TrustsTheCurrentAnchorers()
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = AuditRows.RandomAddress().ToString() });

        var chain = LedgerChain.Open(options, EthECKey.GenerateKey());

        Assert.Equal(chain.TrustedAnchorers, Assert.Single(chain.Previous).Anchorers);
    }

    [Fact]
    public async Task Resolve_DeploymentOnAnotherChain_IsRefused()
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { DeploymentFile = (await WriteDeploymentFileAsync(chainId: 5, block: 1)).Path });

        var refused = Assert.Throws<InvalidOperationException>(() => PreviousDeployments.Resolve(options));

        Assert.Contains("Ledger:Chain:PreviousDeployments:0 is on chain 5", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TheCurrentContract_IsRefused()
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = options.ProvenanceLedger });

        var refused = Assert.Throws<InvalidOperationException>(() => LedgerChain.Open(options, EthECKey.GenerateKey()));

        Assert.Contains("the current one", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SameContractTwice_IsRefused()
    {
        var options = Current();
        var twice = AuditRows.RandomAddress().ToString();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = twice });
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = twice.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal) });

        var refused = Assert.Throws<InvalidOperationException>(() => PreviousDeployments.Resolve(options));

        Assert.Contains("Ledger:Chain:PreviousDeployments:1 names ProvenanceLedger", refused.Message, StringComparison.Ordinal);
        Assert.Contains("list each previous deployment once", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NeitherFileNorAddress_IsRefused()
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions());

        var refused = Assert.Throws<InvalidOperationException>(() => PreviousDeployments.Resolve(options));

        Assert.Equal("Ledger:Chain:PreviousDeployments:0: give DeploymentFile or ProvenanceLedger.", refused.Message);
    }

    [Fact]
    public void Resolve_MissingFile_IsRefusedNamingTheKey()
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { DeploymentFile = Path.Combine(_directory, "missing.json") });

        var refused = Assert.Throws<InvalidOperationException>(() => PreviousDeployments.Resolve(options));

        Assert.StartsWith("Ledger:Chain:PreviousDeployments:0:DeploymentFile: No deployment file at", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("0x0000000000000000000000000000000000000000")]
    public void Resolve_BadAnchorer_IsRefused(string anchorer)
    {
        var options = Current();
        options.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = AuditRows.RandomAddress().ToString(), Anchorers = { anchorer } });

        var refused = Assert.Throws<InvalidOperationException>(() => PreviousDeployments.Resolve(options));

        Assert.StartsWith("Ledger:Chain:PreviousDeployments:0:Anchorers:", refused.Message, StringComparison.Ordinal);
    }

    internal static LedgerChainOptions Current() => new()
    {
        RpcUrl = new Uri("http://127.0.0.1:9"),
        ChainId = 31337,
        ModelRegistry = AuditRows.RandomAddress().ToString(),
        ProvenanceLedger = AuditRows.RandomAddress().ToString(),
    };

    private async Task<(string Path, ProvenanceContracts Contracts)> WriteDeploymentFileAsync(long chainId, long block)
    {
        var contracts = new ProvenanceContracts(new BigInteger(chainId), AuditRows.RandomAddress(), AuditRows.RandomAddress(), AuditRows.RandomAddress())
        {
            DeploymentBlock = (ulong)block,
        };
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        await new DeploymentFile(contracts, AuditRows.RandomAddress()).WriteAsync(path, overwrite: false);
        return (path, contracts);
    }
}
