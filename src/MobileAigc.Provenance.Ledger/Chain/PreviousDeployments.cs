using System.Globalization;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>A previous deployment as configured, its deployment file read and every value checked.</summary>
/// <param name="ProvenanceLedger">Its <c>ProvenanceLedger</c>.</param>
/// <param name="ChainId">Its chain (the current deployment's).</param>
/// <param name="PaymentChannels">Its <c>PaymentChannels</c>, or null.</param>
/// <param name="DeploymentBlock">Its deployment block.</param>
/// <param name="Anchorers">Its anchorers; null: the current ones.</param>
public sealed record ResolvedPreviousDeployment(
    EvmAddress ProvenanceLedger, long ChainId, EvmAddress? PaymentChannels, long DeploymentBlock, IReadOnlySet<EvmAddress>? Anchorers);

/// <summary>
/// Reads and checks <see cref="LedgerChainOptions.PreviousDeployments"/>. A misconfiguration here would either make old
/// records unverifiable or let a look-alike contract vouch for them, so every doubt refuses the start with the key at fault.
/// </summary>
public static class PreviousDeployments
{
    /// <summary>The previous deployments of <paramref name="options"/>, in configuration order.</summary>
    /// <exception cref="InvalidOperationException">
    /// When an entry names neither a file nor an address, its file cannot be read, an address does not parse, it is on
    /// another chain than the current deployment, it is the current <c>ProvenanceLedger</c>, or two entries name the same one.
    /// </exception>
    public static IReadOnlyList<ResolvedPreviousDeployment> Resolve(LedgerChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var current = EvmAddress.TryParse(options.ProvenanceLedger, out var parsed) ? parsed : (EvmAddress?)null;
        var resolved = new List<ResolvedPreviousDeployment>(options.PreviousDeployments.Count);
        for (var i = 0; i < options.PreviousDeployments.Count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{LedgerChainOptions.Section}:{nameof(LedgerChainOptions.PreviousDeployments)}:{i}");
            var deployment = ResolveOne(key, options.PreviousDeployments[i], options.ChainId);
            if (deployment.ChainId != options.ChainId)
            {
                throw new InvalidOperationException(
                    $"{key} is on chain {deployment.ChainId}, the current deployment on chain {options.ChainId}: the ledger reads one chain, " +
                    "so a deployment on another chain cannot be a previous one.");
            }

            if (deployment.ProvenanceLedger == current)
            {
                throw new InvalidOperationException(
                    $"{key} names ProvenanceLedger {deployment.ProvenanceLedger}, the current one ({LedgerChainOptions.Section}:ProvenanceLedger): " +
                    "a previous deployment is another contract.");
            }

            var twin = resolved.FindIndex(d => d.ProvenanceLedger == deployment.ProvenanceLedger);
            if (twin >= 0)
            {
                throw new InvalidOperationException(
                    $"{key} names ProvenanceLedger {deployment.ProvenanceLedger}, as {LedgerChainOptions.Section}:{nameof(LedgerChainOptions.PreviousDeployments)}:{twin} does: " +
                    "list each previous deployment once.");
            }

            resolved.Add(deployment);
        }

        return resolved;
    }

    private static ResolvedPreviousDeployment ResolveOne(string key, PreviousDeploymentOptions entry, long currentChainId)
    {
        DeploymentFile? file = null;
        if (entry.DeploymentFile is { } path)
        {
            try
            {
                // Start-up only, before anything serves: no synchronisation context to deadlock on.
                file = DeploymentFile.ReadAsync(path).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{key}:{nameof(PreviousDeploymentOptions.DeploymentFile)}: {e.Message}", e);
            }
        }

        var ledger = entry.ProvenanceLedger is { } text
            ? Address(key, nameof(PreviousDeploymentOptions.ProvenanceLedger), text)
            : file?.Contracts.ProvenanceLedger
                ?? throw new InvalidOperationException(
                    $"{key}: give {nameof(PreviousDeploymentOptions.DeploymentFile)} or {nameof(PreviousDeploymentOptions.ProvenanceLedger)}.");
        var channels = entry.PaymentChannels is { } channelsText
            ? Address(key, nameof(PreviousDeploymentOptions.PaymentChannels), channelsText)
            : file?.Contracts.PaymentChannels;
        var chainId = entry.ChainId ?? (file is null ? currentChainId : (long)file.Contracts.ChainId);
        var block = entry.DeploymentBlock ?? (file is null ? 0 : (long)file.Contracts.DeploymentBlock);
        if (block < 0)
        {
            throw new InvalidOperationException($"{key}:{nameof(PreviousDeploymentOptions.DeploymentBlock)} must be 0 or more (was {block}).");
        }

        var anchorers = entry.Anchorers.Count == 0
            ? null
            : entry.Anchorers.Select(a => Address(key, nameof(PreviousDeploymentOptions.Anchorers), a)).ToHashSet();
        return new ResolvedPreviousDeployment(ledger, chainId, channels, block, anchorers);
    }

    private static EvmAddress Address(string key, string property, string text) =>
        EvmAddress.TryParse(text, out var address) && !address.IsZero
            ? address
            : throw new InvalidOperationException($"{key}:{property}: '{text}' is not a non-zero address (0x followed by 40 hex digits).");
}
