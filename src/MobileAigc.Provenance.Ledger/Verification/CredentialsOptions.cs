namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>How the ledger checks the Content Credentials (C2PA) of the files it is asked to verify.</summary>
public sealed class CredentialsOptions
{
    /// <summary>The configuration section: <c>Ledger:Credentials</c>.</summary>
    public const string Section = "Ledger:Credentials";

    /// <summary>
    /// PEM files of trust anchors: a manifest signed by a chain to one of them is <c>Trusted</c>. Default
    /// none: every signer is <c>signingCredential.untrusted</c> and valid credentials are at best <c>Valid</c>,
    /// as the C2PA SDK says with no trust list. A file that is missing or holds no certificate fails the start.
    /// </summary>
    public IList<string> TrustAnchors { get; } = [];
}
