using System.Text.Json.Nodes;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Validation;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>
/// Shows the Content Credentials (C2PA) a file carries: what our reader and validator find, and the official SDK's
/// verdict on the same file when node and the SDK (<c>tools/c2pa-sdk</c>) are there.
/// </summary>
internal sealed class CredentialsInspector
{
    private readonly Script _script;
    private readonly ManifestValidator _validator = new();
    private readonly OfficialC2paSdk? _sdk;
    private readonly string? _sdkMissing;

    public CredentialsInspector(Script script)
    {
        _script = script;
        _sdk = OfficialC2paSdk.Find(out _sdkMissing);
    }

    /// <summary>Prints our reading of <paramref name="path"/>, then, with <paramref name="askSdk"/>, the official SDK's.</summary>
    public async Task ShowAsync(string path, string mime, bool askSdk, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        _script.Step($"Content Credentials of {name} (our C2PA reader)", Describe(await File.ReadAllBytesAsync(path, cancellationToken)));
        if (!askSdk)
        {
            return;
        }

        if (_sdk is null)
        {
            _script.Step($"Official C2PA SDK on {name}", $"not run here: {Markup.Escape(_sdkMissing!)}; the interoperability tests check it (Credentials.Tests, Interop/)");
            return;
        }

        var (verdict, failure) = await _sdk.ReadAsync(path, mime, cancellationToken);
        _script.Step($"Official C2PA SDK (c2pa-rs wasm) read {name}", verdict is null
            ? $"[red]no verdict[/]: {Markup.Escape(failure!)}"
            : verdict.State is null
                ? Markup.Escape(verdict.Note!)
                : $"[yellow]{verdict.State}[/] [[{Markup.Escape(string.Join(", ", verdict.FailureCodes))}]]");
    }

    private string Describe(byte[] file)
    {
        ValidationReport report;
        try
        {
            report = _validator.ValidateFile(file);
        }
        catch (JumbfException e)
        {
            return $"[red]unreadable[/]: {Markup.Escape(e.Message)}";
        }

        if (!report.HasManifestStore)
        {
            return "[yellow]none[/] (no manifest store in the file)";
        }

        var result = report.ActiveManifest!;
        var failures = result.FailureCodes.Distinct().ToList();
        var state = $"[yellow]{result.State}[/] [[{Markup.Escape(string.Join(", ", failures))}]]"
            + (failures.SequenceEqual([ValidationStatusCodes.SigningCredentialUntrusted]) ? " (no trust list given: the signer is untrusted, the file sound)" : "");
        if (report.Store?.ActiveManifest is not { } manifest)
        {
            return state;
        }

        var actions = (manifest.FindAssertion(AssertionLabels.Actions)?.Content?["actions"] as JsonArray ?? [])
            .Select(action => Markup.Escape(action?["action"]?.ToString() ?? "?")
                + (action?["softwareAgent"]?["name"] is { } agent ? $" by {Markup.Escape(agent.ToString())}" : ""));
        var record = manifest.FindAssertion(AssertionLabels.ProvenanceRecord)?.Content?["recordDigest"];
        var dataHash = result.Success.Any(s => s.Code == ValidationStatusCodes.AssertionDataHashMatch) ? "data hash matches" : "[red]data hash does not match[/]";
        return $"{state}; manifest {Markup.Escape(manifest.Label)} signed by {Markup.Escape(manifest.Signature?.Chain.FirstOrDefault()?.Subject ?? "?")}; "
            + $"actions {string.Join(", ", actions)}; {dataHash}"
            + (record is null ? "" : $"; names record {Markup.Escape(RecordDigest(record))}");
    }

    // The record assertion's digest is CBOR bytes, which the reader gives as base64.
    private static string RecordDigest(JsonNode digest)
    {
        var text = digest.ToString();
        try
        {
            return "0x" + Convert.ToHexStringLower(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return text;
        }
    }
}
