using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Cli.Demo.Steps;

namespace MobileAigc.Provenance.Cli.Demo.Serving;

/// <summary>What the round trip leaves running for <c>provenance demo --serve</c>, and who took part in it.</summary>
/// <param name="Anvil">The chain node.</param>
/// <param name="Actors">The ledger operator, model owner, provider and creator, with their keys.</param>
/// <param name="Services">The services' folders, secrets and the deployment file.</param>
/// <param name="Ledger">The ledger process.</param>
/// <param name="Node">The edge node process.</param>
/// <param name="Served">The node's key and models.</param>
/// <param name="OutputDirectory">The demo's output folder.</param>
internal sealed record ServedNetwork(
    AnvilNode Anvil, Actors Actors, LocalServices Services, ServiceProcess Ledger, ServiceProcess Node, ServedNode Served, string OutputDirectory);
