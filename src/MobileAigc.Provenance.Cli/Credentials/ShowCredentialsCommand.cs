using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Credentials.Inspection;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary>
/// <c>provenance credentials show FILE</c>: the Content Credentials of a PNG, JPEG or WebP and their C2PA
/// validation. Exit 0 when the active manifest is Valid or Trusted, 1 when Invalid, 2 when the file
/// carries no manifest store or the input is bad (missing file, not PNG/JPEG/WebP, unreadable trust anchors).
/// </summary>
internal static class ShowCredentialsCommand
{
    /// <summary>Exit code of Valid and Trusted credentials.</summary>
    public const int ValidExit = 0;

    /// <summary>Exit code of Invalid credentials.</summary>
    public const int InvalidExit = 1;

    /// <summary>Exit code of a file without credentials, or of bad input.</summary>
    public const int NoCredentialsExit = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The PNG, JPEG or WebP file." };
        var anchors = new Option<FileInfo[]>("--trust-anchors") { Description = "PEM files of trust anchors: a signer chaining to one is Trusted. Default none (every signer untrusted, at best Valid).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (the shape of api/verify's credentials)." };
        var registry = new Option<string>("--registry") { Description = "The ModelRegistry contract to check the signing certificate's node binding in (with --chain-id)." };
        var chainId = new Option<long>("--chain-id") { Description = "The chain id of the registry.", DefaultValueFactory = _ => 31337 };
        var command = new Command("show", "Read and validate the C2PA manifest store of a PNG, JPEG or WebP: status codes, state, signer, claim generator, actions, soft bindings, ingredients and the provenance record named. Exit 0 Valid/Trusted, 1 Invalid, 2 no credentials or bad input.")
        {
            file, anchors, json, registry, chainId,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ContentCredentialsReport report;
            try
            {
                var bytes = await ReadAsync(parse.GetValue(file)!, cancellationToken);
                var trust = await TrustAsync(parse.GetValue(anchors) ?? [], cancellationToken);
                var domain = parse.GetValue(registry) is { } address ? CredentialArguments.Registry(address, parse.GetValue(chainId)) : null;
                report = new ContentCredentialsInspector(new ManifestValidator(trust, TimeProvider.System), domain).Inspect(bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JumbfException or CryptographicException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"credentials show: {e.Message}");
                return NoCredentialsExit;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                CredentialsReportText.Print(report, Console.Out);
            }

            return !report.Present ? NoCredentialsExit
                : report.State == CredentialsValidationState.Invalid ? InvalidExit
                : ValidExit;
        });
        return command;
    }

    private static async Task<byte[]> ReadAsync(FileInfo file, CancellationToken cancellationToken) =>
        file.Exists ? await File.ReadAllBytesAsync(file.FullName, cancellationToken) : throw new FileNotFoundException($"No file at '{file.FullName}'.");

    private static async Task<TrustList> TrustAsync(FileInfo[] files, CancellationToken cancellationToken)
    {
        if (files.Length == 0)
        {
            return TrustList.Empty;
        }

        var pem = new System.Text.StringBuilder();
        foreach (var anchor in files)
        {
            var text = await File.ReadAllTextAsync(anchor.Exists ? anchor.FullName : throw new FileNotFoundException($"No trust anchor file at '{anchor.FullName}'."), cancellationToken);
            if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw new ArgumentException($"The trust anchor file '{anchor.FullName}' holds no PEM certificate.");
            }

            pem.AppendLine(text);
        }

        return TrustList.FromPem(pem.ToString());
    }
}
