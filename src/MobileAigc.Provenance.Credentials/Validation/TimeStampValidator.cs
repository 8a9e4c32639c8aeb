using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Verifies the RFC 3161 time-stamp of a claim signature as C2PA asks: the message imprint over the bytes
/// of its version (<see cref="TimeStampImprint"/>), the authority's CMS signature, the authority's
/// certificate (extended key usage timeStamping, valid at <c>genTime</c>) and, against the time-stamp trust
/// anchors, its chain. Every finding is an informational or success status (C2PA 2.x makes time-stamp
/// failures informational): a time-stamp that fails is as if there were none. Revocation is not checked.
/// </summary>
internal static class TimeStampValidator
{
    /// <summary>id-kp-timeStamping.</summary>
    public const string TimeStampingPurpose = "1.3.6.1.5.5.7.3.8";

    private static readonly Dictionary<string, HashAlgorithmName> HashAlgorithms = new()
    {
        ["2.16.840.1.101.3.4.2.1"] = HashAlgorithmName.SHA256,
        ["2.16.840.1.101.3.4.2.2"] = HashAlgorithmName.SHA384,
        ["2.16.840.1.101.3.4.2.3"] = HashAlgorithmName.SHA512,
    };

    /// <summary>
    /// Adds the time-stamp's statuses to <paramref name="result"/> and returns it when it verified (null
    /// otherwise). Only a trusted one (<see cref="VerifiedTimeStamp.Trusted"/>) may fix the signing time:
    /// anyone can run an authority that states any time, so with no time-stamp trust anchor configured no
    /// time-stamp is trusted, as in the SDK.
    /// </summary>
    public static VerifiedTimeStamp? Validate(ClaimSignature signature, Claim claim, string signatureUrl, ManifestValidationResult result, TrustList trust)
    {
        if (signature.TimeStamp is not { } stamp || signature.Message is not { } message)
        {
            return null;
        }

        if (stamp.Error is { } error)
        {
            result.AddInformational(ValidationStatusCodes.TimeStampMalformed, signatureUrl, error);
            return null;
        }

        try
        {
            if (!Rfc3161TimestampToken.TryDecode(stamp.Token, out var token, out var read) || read != stamp.Token.Length)
            {
                var (code, why) = Refusal(stamp);
                result.AddInformational(code, signatureUrl, why);
                return null;
            }

            return Verify(stamp, token, TimeStampImprint.ToBeStamped(stamp.Version, message, claim.Bytes.Span), signatureUrl, result, trust);
        }
        catch (CryptographicException e)
        {
            result.AddInformational(ValidationStatusCodes.TimeStampMalformed, signatureUrl, $"the {stamp.HeaderLabel} token cannot be checked: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Why the platform refused to decode a token. It refuses a token whose authority's certificate is
    /// outside its validity at <c>genTime</c> or lacks the timeStamping usage: those are not malformed.
    /// </summary>
    private static (string Code, string Why) Refusal(ClaimTimeStamp stamp)
    {
        var malformed = (ValidationStatusCodes.TimeStampMalformed, $"the {stamp.HeaderLabel} token is not an RFC 3161 TimeStampToken");
        var cms = new SignedCms();
        cms.Decode(stamp.Token.Span);
        if (cms.SignerInfos is not [{ Certificate: { } authority }, ..]
            || !Rfc3161TimestampTokenInfo.TryDecode(cms.ContentInfo.Content, out var info, out _))
        {
            return malformed;
        }

        if (info.Timestamp < authority.NotBefore.ToUniversalTime() || info.Timestamp > authority.NotAfter.ToUniversalTime())
        {
            return (ValidationStatusCodes.TimeStampOutsideValidity, $"the time-stamp authority's certificate ({authority.Subject}) is not valid at the time-stamp's time {info.Timestamp:O}");
        }

        return ProfileViolation(authority) is { } violation ? (ValidationStatusCodes.TimeStampUntrusted, violation) : malformed;
    }

    private static VerifiedTimeStamp? Verify(ClaimTimeStamp stamp, Rfc3161TimestampToken token, byte[] toBeStamped, string url, ManifestValidationResult result, TrustList trust)
    {
        var info = token.TokenInfo;
        if (!HashAlgorithms.TryGetValue(info.HashAlgorithmId.Value ?? "", out var hashAlgorithm))
        {
            result.AddInformational(ValidationStatusCodes.TimeStampUntrusted, url, $"the time-stamp's imprint uses hash algorithm {info.HashAlgorithmId.Value}, which is not supported");
            return null;
        }

        var digest = Digest(hashAlgorithm, toBeStamped);
        if (!info.GetMessageHash().Span.SequenceEqual(digest))
        {
            var covered = stamp.Version == TimeStampVersion.V2 ? "the claim signature's signature" : "the claim";
            result.AddInformational(ValidationStatusCodes.TimeStampMismatch, url, $"the {stamp.HeaderLabel} time-stamp's message imprint is not that of {covered}");
            return null;
        }

        var time = info.Timestamp;
        if (!token.VerifySignatureForHash(digest, hashAlgorithm, out var authority, extraCandidates: null) || authority is null)
        {
            result.AddInformational(ValidationStatusCodes.TimeStampUntrusted, url, "the time-stamp authority's signature does not verify");
            return null;
        }

        using (authority)
        {
            if (ProfileViolation(authority) is { } violation)
            {
                result.AddInformational(ValidationStatusCodes.TimeStampUntrusted, url, violation);
                return null;
            }

            result.AddSuccess(ValidationStatusCodes.TimeStampValidated, url, $"time-stamped {time:O} by {authority.Subject}");
            var trusted = IsTrusted(authority, token, trust.TimeStampAnchors, time);
            if (trusted)
            {
                result.AddSuccess(ValidationStatusCodes.TimeStampTrusted, url, $"the time-stamp authority {authority.Subject} chains to a time-stamp trust anchor");
            }
            else
            {
                result.AddInformational(ValidationStatusCodes.TimeStampUntrusted, url, trust.TimeStampAnchors.Count == 0
                    ? $"no time-stamp trust anchor is configured, so the time-stamp of {authority.Subject} is not trusted and its time is not used"
                    : $"the time-stamp authority {authority.Subject} does not chain to a time-stamp trust anchor; its time is not used");
            }

            return new VerifiedTimeStamp(time, authority.Subject, stamp.Version, trusted);
        }
    }

    private static byte[] Digest(HashAlgorithmName algorithm, byte[] data)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>Why the authority's certificate may not sign time-stamps (RFC 3161 §2.3), or null.</summary>
    private static string? ProfileViolation(X509Certificate2 authority)
    {
        var usages = authority.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is null || !usages.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == TimeStampingPurpose))
        {
            return $"the time-stamp authority's certificate ({authority.Subject}) lacks the timeStamping extended key usage";
        }

        return authority.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true }
            ? $"the time-stamp authority's certificate ({authority.Subject}) is a CA certificate"
            : null;
    }

    private static bool IsTrusted(X509Certificate2 authority, Rfc3161TimestampToken token, IReadOnlyList<X509Certificate2> anchors, DateTimeOffset time)
    {
        if (anchors.Count == 0)
        {
            return false;
        }

        if (anchors.Any(anchor => anchor.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span)))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStampingPurpose));
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(token.AsSignedCms().Certificates);
        try
        {
            return chain.Build(authority);
        }
        catch (CryptographicException)
        {
            // A certificate in the token the platform cannot build a path with: no path, not trusted.
            return false;
        }
    }
}
