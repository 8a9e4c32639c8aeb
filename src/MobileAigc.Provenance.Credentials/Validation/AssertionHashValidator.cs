using System.Security.Cryptography;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Checks the hashed URIs of a claim: each assertion it lists must be in the store, with the hash of
/// its superbox (description and content boxes) and decodable content; and each assertion of the
/// manifest's store must be listed (<c>assertion.undeclared</c>: an assertion the signature does not
/// cover must not be read as part of the manifest).
/// </summary>
internal static class AssertionHashValidator
{
    public static void Validate(ManifestStore store, Manifest manifest, Func<string, string> urlOf, ManifestValidationResult result, IReadOnlySet<string> redacted)
    {
        var claim = manifest.Claim!;
        var declared = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var uri in claim.Assertions)
        {
            var box = JumbfUri.Resolve(uri.Url, store.Box, manifest.Box);
            var url = box is null ? uri.Url : urlOf("c2pa.assertions/" + box.Label);
            if (box is null)
            {
                // An assertion a later claim redacted is gone on purpose; that claim's validation judges the redaction.
                if (!redacted.Contains(RedactionValidator.Absolute(store, manifest, uri.Url)))
                {
                    result.AddFailure(ValidationStatusCodes.AssertionMissing, uri.Url, "the claim lists an assertion the store does not hold");
                }

                continue;
            }

            declared.Add(box);

            var algorithm = uri.Algorithm ?? claim.Algorithm;
            var actual = HashAlgorithms.Hash(algorithm, box.EncodedPayload.Span);
            if (actual is null)
            {
                result.AddFailure(ValidationStatusCodes.AlgorithmUnsupported, url, $"hash algorithm '{algorithm}' is not supported");
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(actual, uri.Hash))
            {
                result.AddSuccess(ValidationStatusCodes.AssertionHashedUriMatch, url);
            }
            else
            {
                result.AddFailure(ValidationStatusCodes.AssertionHashedUriMismatch, url, "the assertion's hash does not match the claim");
            }

            var assertion = manifest.Assertions.FirstOrDefault(candidate => ReferenceEquals(candidate.Box, box)) ?? Assertion.Read(box);
            if (assertion.Error is not null)
            {
                var code = assertion.Kind == AssertionKind.Json ? ValidationStatusCodes.AssertionJsonInvalid : ValidationStatusCodes.AssertionCborInvalid;
                result.AddFailure(code, url, assertion.Error);
            }
        }

        foreach (var assertion in manifest.Assertions.Where(assertion => !declared.Contains(assertion.Box)))
        {
            result.AddFailure(ValidationStatusCodes.AssertionUndeclared, urlOf("c2pa.assertions/" + assertion.Label), "the assertion store holds an assertion the claim does not list");
        }
    }

    /// <summary>True when <paramref name="reference"/>'s hash matches the manifest box it names.</summary>
    public static bool Matches(HashedUri reference, Manifest target, string? claimAlgorithm) =>
        HashAlgorithms.Hash(reference.Algorithm ?? claimAlgorithm, target.Box.EncodedPayload.Span) is { } actual
        && CryptographicOperations.FixedTimeEquals(actual, reference.Hash);
}
