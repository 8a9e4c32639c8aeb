using System.Globalization;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>What <c>edge fine-tune</c> prints about a job: where it stands, what it made, and what its owner does next.</summary>
internal static class FineTuneJobText
{
    /// <summary>Every field of the job a creator needs, one per line.</summary>
    public static void Print(FineTuneJob job)
    {
        Console.WriteLine($"job {job.JobId}: {job.State}{(job.Steps > 0 ? $" (step {job.Step}/{job.Steps})" : "")}");
        Console.WriteLine($"  derivative    {job.Name}{(job.DerivativeHash is { } hash ? $" {hash}" : " (not written yet)")}");
        Console.WriteLine($"  parent        {job.ParentName} {job.Parent}");
        Console.WriteLine($"  owner         {job.Owner?.ToString() ?? "nobody named (payments off and no creator)"}");
        Console.WriteLine($"  visibility    {job.Visibility}");
        if (job.HeldOutLossBefore is { } before && job.HeldOutLossAfter is { } after)
        {
            var change = before > 0 ? (after - before) / before : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  held-out loss {before:0.0000} -> {after:0.0000} nats per character ({change:+0.0%;-0.0%;0.0%})"));
        }

        Console.WriteLine($"  training data commitment {job.TrainingDataCommitment}");
        Console.WriteLine($"  training data salt       {job.TrainingDataSalt} (with your examples it opens the commitment: keep it)");
        if (job.Payment is { } fee)
        {
            Console.WriteLine($"  fee           voucher {fee.Nonce} on channel {fee.ChannelId}, cumulative {fee.CumulativeAmount}{(job.Refund is { } refund ? $", given back ({refund})" : "")}");
        }

        if (job.Error is { } error)
        {
            Console.WriteLine($"  error         {error}");
        }

        Console.WriteLine($"  created {job.CreatedAt:u}{(job.FinishedAt is { } finished ? $", finished {finished:u}" : "")}");
    }

    /// <summary>Who does what after a success, for the derivative to be paid for and served under the trust rules.</summary>
    public static void PrintNextSteps(FineTuneJob job)
    {
        if (job.DerivativeHash is not { } hash)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine($"The node serves {job.Name} now{(job.Visibility == ModelVisibilities.Private ? " to its owner only" : " to anyone")}. To be paid for it on chain:");
        Console.WriteLine($"  1. its owner ({job.Owner?.ToString() ?? "you"}) registers it as a derivative of its parent:");
        Console.WriteLine($"       provenance model register --model {hash} --parent {job.Parent} --price WEI --royalty-bps BPS --keystore OWNER.json ...");
        Console.WriteLine("  2. its owner approves the node to serve it (the node's address: GET v1/node):");
        Console.WriteLine($"       provenance model approve-node --model {hash} --node NODE_ADDRESS --keystore OWNER.json ...");
        Console.WriteLine("  3. the node's operator adds it to what the node serves on chain:");
        Console.WriteLine($"       provenance node models add --node NODE_ADDRESS --model {hash} --keystore OPERATOR.json ...");
    }
}
