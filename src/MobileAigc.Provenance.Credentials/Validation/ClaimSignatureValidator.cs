using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Verifies a claim signature (COSE_Sign1 over the claim's stored CBOR, ES256/384/512 and
/// PS256/384/512) and its signing credential, adding the statuses to a result.
/// </summary>
internal static class ClaimSignatureValidator
{
    private static readonly Dictionary<int, string> Supported = new()
    {
        [-7] = "ES256",
        [-35] = "ES384",
        [-36] = "ES512",
        [-37] = "PS256",
        [-38] = "PS384",
        [-39] = "PS512",
    };

    public static void Validate(Manifest manifest, string signatureUrl, ManifestValidationResult result, TrustList trust, DateTimeOffset now)
    {
        var signature = manifest.Signature;
        var claim = manifest.Claim;
        if (signature is null || claim is null)
        {
            result.AddFailure(ValidationStatusCodes.ClaimSignatureMissing, signatureUrl, "the manifest has no claim signature");
            return;
        }

        if (signature.Message is null)
        {
            result.AddFailure(ValidationStatusCodes.ClaimSignatureMismatch, signatureUrl, signature.Error);
            return;
        }

        var signer = signature.Signer;
        if (signer is null)
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialInvalid, signatureUrl, signature.Error);
            return;
        }

        try
        {
            VerifyCredential(signature, claim, signatureUrl, result, trust, now);
        }
        catch (CryptographicException e)
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialInvalid, signatureUrl, "the signer's certificate is unreadable: " + e.Message);
        }
    }

    private static void VerifyCredential(ClaimSignature signature, Claim claim, string signatureUrl, ManifestValidationResult result, TrustList trust, DateTimeOffset now)
    {
        var signer = signature.Signer!;
        VerifySignature(signature, claim, signatureUrl, result);

        // A trusted time-stamp fixes when the claim was signed; without one the validation time stands in.
        result.TimeStamp = TimeStampValidator.Validate(signature, claim, signatureUrl, result, trust);
        var timeStamp = result.TimeStamp is { Trusted: true } trustedStamp ? trustedStamp : null;
        var signingTime = timeStamp?.Time ?? now;
        var when = timeStamp is null ? $"the validation time {signingTime:O} (no trusted time-stamp)" : $"the time-stamp's time {signingTime:O}";
        if (signingTime < signer.NotBefore.ToUniversalTime() || signingTime > signer.NotAfter.ToUniversalTime())
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialExpired, signatureUrl,
                $"the signer's certificate (valid {signer.NotBefore.ToUniversalTime():O} to {signer.NotAfter.ToUniversalTime():O}) is not valid at {when}");
            if (timeStamp is not null)
            {
                result.AddInformational(ValidationStatusCodes.TimeStampOutsideValidity, signatureUrl, "the time-stamp's time is outside the signer's certificate validity");
            }
        }
        else
        {
            result.AddSuccess(ValidationStatusCodes.ClaimSignatureInsideValidity, signatureUrl, "the signer's certificate is valid at " + when);
        }

        string? invalid;
        bool trusted;
        try
        {
            invalid = SigningCredentialValidator.ProfileViolation(signer) ?? SigningCredentialValidator.ChainBreak(signature.Chain);
            trusted = SigningCredentialValidator.IsTrusted(signature.Chain, trust, signingTime);
        }
        catch (CryptographicException e)
        {
            invalid = "the signer's certificate is unreadable: " + e.Message;
            trusted = false;
        }

        if (invalid is not null)
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialInvalid, signatureUrl, invalid);
        }

        if (trusted)
        {
            result.AddSuccess(ValidationStatusCodes.SigningCredentialTrusted, signatureUrl);
        }
        else
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialUntrusted, signatureUrl, "the signing credential does not chain to a trust anchor");
        }
    }

    private static void VerifySignature(ClaimSignature signature, Claim claim, string signatureUrl, ManifestValidationResult result)
    {
        if (signature.Algorithm is not { } algorithm || !Supported.TryGetValue(algorithm, out var name))
        {
            result.AddFailure(ValidationStatusCodes.AlgorithmUnsupported, signatureUrl, $"COSE algorithm {signature.Algorithm?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} is not supported");
            return;
        }

        AsymmetricAlgorithm? key;
        try
        {
            key = name.StartsWith("ES", StringComparison.Ordinal) ? signature.Signer!.GetECDsaPublicKey() : SignerKeys.Rsa(signature.Signer!);
        }
        catch (CryptographicException e)
        {
            result.AddFailure(ValidationStatusCodes.SigningCredentialInvalid, signatureUrl, "the signer's public key is unreadable: " + e.Message);
            return;
        }

        if (key is null)
        {
            result.AddFailure(ValidationStatusCodes.ClaimSignatureMismatch, signatureUrl, $"the signer's key does not fit {name}");
            return;
        }

        using (key)
        {
            bool verified;
            try
            {
                verified = signature.Message!.Content is null
                    ? signature.Message.VerifyDetached(key, claim.Bytes.Span)
                    : signature.Message.Content.Value.Span.SequenceEqual(claim.Bytes.Span) && signature.Message.VerifyEmbedded(key);
            }
            catch (Exception e) when (e is CryptographicException or InvalidOperationException or ArgumentException)
            {
                result.AddFailure(ValidationStatusCodes.ClaimSignatureMismatch, signatureUrl, e.Message);
                return;
            }

            if (verified)
            {
                result.AddSuccess(ValidationStatusCodes.ClaimSignatureValidated, signatureUrl);
            }
            else
            {
                result.AddFailure(ValidationStatusCodes.ClaimSignatureMismatch, signatureUrl, "the claim signature does not verify over the claim");
            }
        }
    }
}
