namespace MobileAigc.Provenance.Ledger.Upgrades;

/// <summary>What <see cref="DeploymentSwitch.EnsureAsync"/> found and did at start.</summary>
public enum DeploymentSwitchOutcome
{
    /// <summary>The database knew no deployment: the current one is recorded (and batches planned before this version are stamped with it).</summary>
    Recorded,

    /// <summary>The ledger last ran with the current deployment: nothing changed.</summary>
    Unchanged,

    /// <summary>The ledger last ran with a previous deployment and switched to the current one now.</summary>
    Switched,
}
