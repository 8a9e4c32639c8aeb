using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>Checks at start that every configured watermark key file exists and holds a key, so a typo fails the start, not the first upload.</summary>
public sealed class VerificationOptionsValidator : IValidateOptions<VerificationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, VerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var file in options.WatermarkKeyFiles)
        {
            try
            {
                WatermarkKeyRing.LoadKey(file);
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{VerificationOptions.Section}:{nameof(VerificationOptions.WatermarkKeyFiles)}: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
