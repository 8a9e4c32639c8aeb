using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Host;

/// <summary>
/// Fills the node's options from the deployment file <c>EdgeNode:DeploymentFile</c> names: the chain id and the
/// <c>ProvenanceLedger</c> the records are signed for, the <c>ModelRegistry</c> the C2PA certificate binding is
/// signed in, and the <c>ModelRegistry</c> and <c>PaymentChannels</c> payments read (they stay off without
/// <c>Payments:RpcUrl</c>). A setting also given in <paramref name="configuration"/> must agree with the file; a
/// file that cannot be used, or a disagreement, throws <see cref="OptionsValidationException"/> naming the setting,
/// both values and the file, so the host refuses to start.
/// </summary>
/// <param name="configuration">The host's configuration, to tell an explicit setting from a default.</param>
public sealed class EdgeNodeDeploymentFile(IConfiguration configuration) : IPostConfigureOptions<EdgeNodeOptions>, IPostConfigureOptions<PaymentOptions>
{
    /// <summary>The setting that names the file: <c>EdgeNode:DeploymentFile</c>.</summary>
    public const string Setting = EdgeNodeOptions.Section + ":" + nameof(EdgeNodeOptions.DeploymentFile);

    private const string Node = EdgeNodeOptions.Section;
    private const string Payments = PaymentOptions.Section;
    private const string CredentialsRegistry = $"{Node}:{nameof(EdgeNodeOptions.Credentials)}:{nameof(EdgeNode.Keys.C2paCredentialOptions.ModelRegistry)}";

    /// <inheritdoc />
    /// <remarks>Reports a file that cannot be used; <see cref="PaymentOptions"/> then leaves it to this report.</remarks>
    public void PostConfigure(string? name, EdgeNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Read() is not { } settings)
        {
            return;
        }

        if (settings.File is { Contracts: var contracts })
        {
            options.ChainId = settings.Agreed($"{Node}:{nameof(EdgeNodeOptions.ChainId)}", configuration[$"{Node}:{nameof(EdgeNodeOptions.ChainId)}"], (long)contracts.ChainId);
            options.ProvenanceLedger = settings.Agreed(
                $"{Node}:{nameof(EdgeNodeOptions.ProvenanceLedger)}", configuration[$"{Node}:{nameof(EdgeNodeOptions.ProvenanceLedger)}"], contracts.ProvenanceLedger);
            options.Credentials.ModelRegistry = settings.Agreed(CredentialsRegistry, configuration[CredentialsRegistry], contracts.ModelRegistry);
        }

        ThrowIfFailed(settings, name, typeof(EdgeNodeOptions));
    }

    /// <inheritdoc />
    public void PostConfigure(string? name, PaymentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Read() is not { File.Contracts: var contracts } settings)
        {
            return;
        }

        options.ModelRegistry = settings.Agreed(
            $"{Payments}:{nameof(PaymentOptions.ModelRegistry)}", configuration[$"{Payments}:{nameof(PaymentOptions.ModelRegistry)}"], contracts.ModelRegistry);
        options.PaymentChannels = settings.Agreed(
            $"{Payments}:{nameof(PaymentOptions.PaymentChannels)}", configuration[$"{Payments}:{nameof(PaymentOptions.PaymentChannels)}"], contracts.PaymentChannels);
        ThrowIfFailed(settings, name, typeof(PaymentOptions));
    }

    private DeploymentFileSettings? Read() =>
        configuration[Setting] is { } path && !string.IsNullOrWhiteSpace(path) ? DeploymentFileSettings.Read(Setting, path) : null;

    private static void ThrowIfFailed(DeploymentFileSettings settings, string? name, Type options)
    {
        if (settings.Failures.Count > 0)
        {
            throw new OptionsValidationException(name ?? Options.DefaultName, options, settings.Failures);
        }
    }
}
