using System.CommandLine;
using System.Security.Cryptography;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary><c>provenance credentials ca new</c>: a provider CA's key and self-signed certificate, in a folder.</summary>
internal static class CertificateAuthorityCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = $"The folder to write {CredentialFolders.CaCertificateFile} and {CredentialFolders.CaKeyFile} (owner-only) into; existing files are never overwritten.", Required = true };
        var name = new Option<string>("--name") { Description = $"The provider's name (the CA's organization; at most {ProviderCertificateAuthority.MaxProviderNameLength} characters).", Required = true };
        var days = new Option<int>("--days") { Description = "How many days the CA is valid (1 to 36500).", DefaultValueFactory = _ => 3650 };
        var curve = new Option<string>("--curve") { Description = "The CA key's curve: p256 or p384.", DefaultValueFactory = _ => "p256" };

        var create = new Command("new", "Create a provider CA: an ECDSA key and a self-signed certificate (CA, path length 0, keyCertSign and cRLSign) that issues node signing certificates.")
        {
            output, name, days, curve,
        };
        create.SetAction((parse, cancellationToken) => CliErrors.RunAsync("credentials ca new", async () =>
        {
            var validity = CredentialArguments.Days("--days", parse.GetValue(days));
            var curveValue = parse.GetValue(curve)!.ToLowerInvariant() switch
            {
                "p256" => CertificateAuthorityCurve.P256,
                "p384" => CertificateAuthorityCurve.P384,
                var other => throw new ArgumentException($"--curve must be p256 or p384; got '{other}'."),
            };
            using var authority = ProviderCertificateAuthority.Create(parse.GetValue(name)!, validity, TimeProvider.System, curveValue);
            var folder = parse.GetValue(output)!.FullName;
            await CredentialFolders.WriteAuthorityAsync(folder, authority, cancellationToken);
            Console.WriteLine($"created CA '{authority.Certificate.Subject}' valid until {authority.Certificate.NotAfter.ToUniversalTime():u}");
            Console.WriteLine($"certificate {Path.Combine(folder, CredentialFolders.CaCertificateFile)} (SHA-256 {authority.Certificate.GetCertHashString(HashAlgorithmName.SHA256)})");
            Console.WriteLine($"private key {Path.Combine(folder, CredentialFolders.CaKeyFile)} (mode 0600: keep it offline)");
            return 0;
        }));

        return new Command("ca", "The provider's C2PA certificate authority.") { create };
    }
}
