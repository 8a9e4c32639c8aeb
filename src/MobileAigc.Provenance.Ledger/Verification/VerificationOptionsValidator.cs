using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Checks at start that every configured watermark key enrollment file exists, holds a key and is signed
/// by the node it names in this ledger's domain, and that every model manifest read for names is one, so a typo
/// or a foreign file fails the start, not the first upload.
/// </summary>
/// <param name="chain">The ledger's chain: its <c>ProvenanceLedger</c> domain is the one enrollments must be signed in.</param>
public sealed class VerificationOptionsValidator(LedgerChain chain) : IValidateOptions<VerificationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            WatermarkKeyRing.Load(options.WatermarkEnrollmentFiles, chain.Ledger.Domain);
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail($"{VerificationOptions.Section}:{nameof(VerificationOptions.WatermarkEnrollmentFiles)}: {e.Message}");
        }

        try
        {
            ModelNames.Load(options.ModelManifests, []);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail($"{VerificationOptions.Section}:{nameof(VerificationOptions.ModelManifests)}: {e.Message}");
        }
    }
}
