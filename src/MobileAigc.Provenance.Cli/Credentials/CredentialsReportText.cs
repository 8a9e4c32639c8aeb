using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary>Prints a <see cref="ContentCredentialsReport"/> for people, one fact a line.</summary>
internal static class CredentialsReportText
{
    public static void Print(ContentCredentialsReport report, TextWriter output)
    {
        if (report.AssetHash is { } assetHash)
        {
            output.WriteLine($"asset sha256     {assetHash} (the file without its manifest store)");
        }

        if (!report.Present)
        {
            output.WriteLine("no Content Credentials: the file carries no C2PA manifest store");
            return;
        }

        output.WriteLine($"state            {report.State}");
        output.WriteLine($"active manifest  {report.ActiveManifest ?? "(unreadable)"}");
        if (report.ClaimGenerator is { } generator)
        {
            output.WriteLine($"claim generator  {generator}");
        }

        if (report.Signer is { } signer)
        {
            output.WriteLine($"signer           {signer.Subject}");
            output.WriteLine($"issuer           {signer.Issuer}");
            output.WriteLine($"valid until      {signer.NotAfter:u}");
            output.WriteLine($"node binding     {signer.Binding}");
        }

        if (report.TimeStamp is { } stamp)
        {
            var trust = stamp.Trusted ? "trusted: the signer is judged at this time" : "not trusted: the signer is judged now";
            output.WriteLine($"time-stamped     {stamp.Time:u} by {stamp.Authority} ({stamp.Header}, {trust})");
        }

        foreach (var action in report.Actions)
        {
            output.WriteLine($"action           {action.Action}{(action.DigitalSourceType is null ? "" : " " + action.DigitalSourceType)}{(action.SoftwareAgent is null ? "" : " by " + action.SoftwareAgent)}");
        }

        foreach (var binding in report.SoftBindings)
        {
            output.WriteLine($"soft binding     {binding.Algorithm} {binding.Value}");
        }

        foreach (var ingredient in report.Ingredients)
        {
            output.WriteLine($"ingredient       {ingredient.Relationship ?? "?"} {ingredient.Title ?? "(untitled)"} {ingredient.Format}{(ingredient.ManifestLabel is null ? " (no manifest)" : $" manifest {ingredient.ManifestLabel} {ingredient.State}")}");
        }

        if (report.Record is { } record)
        {
            output.WriteLine($"record           {(record.RecordDigest?.ToString() ?? "(malformed)")} by node {record.NodeAddress}{(record.LedgerUrl is null ? " (no ledger named)" : " at " + record.LedgerUrl)}");
            foreach (var problem in record.Problems)
            {
                output.WriteLine($"record problem   {problem}");
            }
        }

        Statuses("success", report.Success, output);
        Statuses("informational", report.Informational, output);
        Statuses("failure", report.Failure, output);
    }

    private static void Statuses(string kind, IReadOnlyList<CredentialStatus> statuses, TextWriter output)
    {
        foreach (var status in statuses)
        {
            output.WriteLine($"{kind,-16} {status.Code}{(status.Explanation is null ? "" : ": " + status.Explanation)}");
        }
    }
}
