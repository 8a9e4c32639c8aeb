namespace MobileAigc.Provenance.Ledger.Upgrades;

/// <summary>
/// The ledger refuses to start with the configured deployments: switching now would lose records or make them
/// unverifiable. The message says what is wrong and what the operator does about it (docs/upgrades.md).
/// </summary>
public sealed class DeploymentSwitchRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception with the operator's message.</summary>
    public DeploymentSwitchRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the operator's message and its cause.</summary>
    public DeploymentSwitchRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception (serialisers and analyzers want it).</summary>
    public DeploymentSwitchRefusedException()
    {
    }
}
