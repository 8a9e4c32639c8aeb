using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Chain.Deployment;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// Fills <see cref="LedgerChainOptions"/> from the deployment file <see cref="LedgerChainOptions.DeploymentFile"/> names:
/// chain id, the three contracts and the deployment block. A setting also given in <paramref name="configuration"/>
/// must agree with the file; a file that cannot be used, or a disagreement, throws
/// <see cref="OptionsValidationException"/> naming the setting, both values and the file, so the host refuses to start.
/// </summary>
/// <param name="configuration">The host's configuration, to tell an explicit setting from a default.</param>
public sealed class LedgerChainDeploymentFile(IConfiguration configuration) : IPostConfigureOptions<LedgerChainOptions>
{
    private const string Section = LedgerChainOptions.Section;

    /// <inheritdoc />
    public void PostConfigure(string? name, LedgerChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DeploymentFile))
        {
            return;
        }

        var settings = DeploymentFileSettings.Read($"{Section}:{nameof(LedgerChainOptions.DeploymentFile)}", options.DeploymentFile);
        if (settings.File is { Contracts: var contracts })
        {
            options.ChainId = settings.Agreed(Key(nameof(LedgerChainOptions.ChainId)), Configured(nameof(LedgerChainOptions.ChainId)), (long)contracts.ChainId);
            options.ModelRegistry = settings.Agreed(Key(nameof(LedgerChainOptions.ModelRegistry)), Configured(nameof(LedgerChainOptions.ModelRegistry)), contracts.ModelRegistry);
            options.ProvenanceLedger = settings.Agreed(Key(nameof(LedgerChainOptions.ProvenanceLedger)), Configured(nameof(LedgerChainOptions.ProvenanceLedger)), contracts.ProvenanceLedger);
            options.PaymentChannels = settings.Agreed(Key(nameof(LedgerChainOptions.PaymentChannels)), Configured(nameof(LedgerChainOptions.PaymentChannels)), contracts.PaymentChannels);
            options.DeploymentBlock = settings.Agreed(Key(nameof(LedgerChainOptions.DeploymentBlock)), Configured(nameof(LedgerChainOptions.DeploymentBlock)),
                checked((long)contracts.DeploymentBlock));
        }

        if (settings.Failures.Count > 0)
        {
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(LedgerChainOptions), settings.Failures);
        }
    }

    /// <summary>Whether the ledger indexes settlements: a <c>PaymentChannels</c> contract is set, or a deployment file gives one.</summary>
    public static bool NamesPaymentChannels(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[Key(nameof(LedgerChainOptions.PaymentChannels))])
            || !string.IsNullOrWhiteSpace(configuration[Key(nameof(LedgerChainOptions.DeploymentFile))]);
    }

    private static string Key(string property) => string.Create(CultureInfo.InvariantCulture, $"{Section}:{property}");

    private string? Configured(string property) => configuration[Key(property)];
}
