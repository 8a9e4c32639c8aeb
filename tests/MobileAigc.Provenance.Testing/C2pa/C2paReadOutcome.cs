namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>What the official SDK made of a file it was asked to read.</summary>
public enum C2paReadOutcome
{
    /// <summary>It found a manifest store and validated it (the verdict is in the validation state and codes).</summary>
    ManifestStore,

    /// <summary>The file carries no manifest store (the SDK's <c>JumbfNotFound</c>).</summary>
    NoManifest,

    /// <summary>The SDK refused the file outright (an unparsable asset or manifest store); the reason is the error.</summary>
    Rejected,
}
