using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// Keeps the node's watermark key enrollment file (<see cref="EnrolledWatermarkKey"/>) in step with its
/// keys: the file its operator hands to the ledger operator so that the ledger traces this node's
/// watermarks, and only to this node's records. Written owner-only, like the key it holds.
/// </summary>
public static class WatermarkEnrollmentFile
{
    /// <summary>
    /// Writes a new enrollment when the file is missing, unreadable, or no longer holds for these
    /// secrets and this ledger (a rotated watermark key, another node key, another deployment); keeps it
    /// otherwise, so its enrollment time stays that of the key's first use.
    /// </summary>
    /// <returns>The enrollment in the file after the call.</returns>
    public static async Task<EnrolledWatermarkKey> EnsureAsync(
        string path, NodeSecrets secrets, ContractDomain ledgerDomain, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(time);
        if (File.Exists(path) && await ReadCurrentAsync(path, secrets, ledgerDomain, cancellationToken) is { } current)
        {
            return current;
        }

        var enrolled = EnrolledWatermarkKey.Create(secrets.WatermarkKey, secrets.SigningKey, ledgerDomain, time.GetUtcNow());
        await SecretFile.ReplaceAsync(path, enrolled.ToJsonBytes(), cancellationToken);
        return enrolled;
    }

    private static async Task<EnrolledWatermarkKey?> ReadCurrentAsync(
        string path, NodeSecrets secrets, ContractDomain ledgerDomain, CancellationToken cancellationToken)
    {
        try
        {
            var enrolled = EnrolledWatermarkKey.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
            var node = enrolled.VerifyFor(ledgerDomain);
            return node == EvmAddress.Parse(secrets.SigningKey.GetPublicAddress())
                && enrolled.Enrollment.KeyId == WatermarkIds.ForEnrollment(secrets.WatermarkKey)
                ? enrolled
                : null;
        }
        catch (InvalidWatermarkEnrollmentException)
        {
            return null;
        }
    }
}
