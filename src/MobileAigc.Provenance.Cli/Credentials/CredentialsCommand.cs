using System.CommandLine;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary><c>provenance credentials ca|cert|show</c>: the provider's C2PA certificate authority, its nodes' signing certificates, and the credentials of a file.</summary>
internal static class CredentialsCommand
{
    public static Command Create() =>
        new("credentials", "C2PA Content Credentials: a provider CA, node signing certificates bound to the node address, checks of a provider's own chain, and the credentials a file carries.")
        {
            CertificateAuthorityCommand.Create(),
            NodeCertificateCommand.Create(),
            ShowCredentialsCommand.Create(),
        };
}
