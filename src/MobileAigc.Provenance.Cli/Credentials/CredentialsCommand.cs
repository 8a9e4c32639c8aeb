using System.CommandLine;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary><c>provenance credentials ca|cert</c>: the provider's C2PA certificate authority and its nodes' signing certificates.</summary>
internal static class CredentialsCommand
{
    public static Command Create() =>
        new("credentials", "C2PA Content Credentials: a provider CA, node signing certificates bound to the node address, and checks of a provider's own chain.")
        {
            CertificateAuthorityCommand.Create(),
            NodeCertificateCommand.Create(),
        };
}
