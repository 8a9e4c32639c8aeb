namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>The C2PA validation status codes this validator reports, spelled as the specification spells them.</summary>
public static class ValidationStatusCodes
{
    /// <summary>Success: the claim signature verified.</summary>
    public const string ClaimSignatureValidated = "claimSignature.validated";

    /// <summary>Success: the signing credential was valid at the signing time.</summary>
    public const string ClaimSignatureInsideValidity = "claimSignature.insideValidity";

    /// <summary>Success: the signing credential chains to a trust anchor.</summary>
    public const string SigningCredentialTrusted = "signingCredential.trusted";

    /// <summary>Success: a hashed URI's hash matched its box.</summary>
    public const string AssertionHashedUriMatch = "assertion.hashedURI.match";

    /// <summary>Success: the hard binding matched the asset.</summary>
    public const string AssertionDataHashMatch = "assertion.dataHash.match";

    /// <summary>Success: an ingredient's manifest validated.</summary>
    public const string IngredientManifestValidated = "ingredient.manifest.validated";

    /// <summary>Success: the claim signature's time-stamp verified (message imprint, the authority's signature and profile).</summary>
    public const string TimeStampValidated = "timeStamp.validated";

    /// <summary>Success: the time-stamp authority chains to a time-stamp trust anchor.</summary>
    public const string TimeStampTrusted = "timeStamp.trusted";

    /// <summary>Informational: the time-stamp authority does not chain to a trust anchor, or its signature or profile fails; its time is not used when trust anchors are configured.</summary>
    public const string TimeStampUntrusted = "timeStamp.untrusted";

    /// <summary>Informational: the time-stamp's message imprint is not that of the bytes C2PA time-stamps; its time is not used.</summary>
    public const string TimeStampMismatch = "timeStamp.mismatch";

    /// <summary>Informational: the time-stamp header or token cannot be read; its time is not used.</summary>
    public const string TimeStampMalformed = "timeStamp.malformed";

    /// <summary>Informational: the time-stamp's time is outside the validity of the authority's or the signer's certificate.</summary>
    public const string TimeStampOutsideValidity = "timeStamp.outsideValidity";

    /// <summary>Informational: an ingredient carries no manifest of its own.</summary>
    public const string IngredientUnknownProvenance = "ingredient.unknownProvenance";

    /// <summary>Failure: the claim signature did not verify.</summary>
    public const string ClaimSignatureMismatch = "claimSignature.mismatch";

    /// <summary>Failure: the manifest has no claim signature.</summary>
    public const string ClaimSignatureMissing = "claimSignature.missing";

    /// <summary>Failure: the signing credential was not valid at the signing time. Not reported here: as the SDK, we report <see cref="SigningCredentialExpired"/>.</summary>
    public const string ClaimSignatureOutsideValidity = "claimSignature.outsideValidity";

    /// <summary>Failure: the signing credential had expired at the signing time (the trusted time-stamp's, else the validation time).</summary>
    public const string SigningCredentialExpired = "signingCredential.expired";

    /// <summary>Failure: the signing credential does not chain to a trust anchor.</summary>
    public const string SigningCredentialUntrusted = "signingCredential.untrusted";

    /// <summary>Failure: the signing credential breaks C2PA's certificate profile, or its chain does not chain.</summary>
    public const string SigningCredentialInvalid = "signingCredential.invalid";

    /// <summary>Failure: a hashed URI's hash did not match its box.</summary>
    public const string AssertionHashedUriMismatch = "assertion.hashedURI.mismatch";

    /// <summary>Failure: the claim lists an assertion the store does not hold.</summary>
    public const string AssertionMissing = "assertion.missing";

    /// <summary>Failure: the manifest's assertion store holds an assertion its claim does not list.</summary>
    public const string AssertionUndeclared = "assertion.undeclared";

    /// <summary>Failure: a claim redacts an assertion of its own manifest.</summary>
    public const string AssertionSelfRedacted = "assertion.selfRedacted";

    /// <summary>Failure: a claim redacts a hard binding (<c>c2pa.hash.*</c>).</summary>
    public const string AssertionHardBindingRedacted = "assertion.hardBinding.redacted";

    /// <summary>Failure: a claim redacts an actions assertion.</summary>
    public const string AssertionActionRedacted = "assertion.action.redacted";

    /// <summary>Failure: an assertion a claim redacts is still in its manifest's store.</summary>
    public const string AssertionNotRedacted = "assertion.notRedacted";

    /// <summary>Failure: the hard binding did not match the asset.</summary>
    public const string AssertionDataHashMismatch = "assertion.dataHash.mismatch";

    /// <summary>Failure: the <c>c2pa.hash.data</c> assertion is malformed.</summary>
    public const string AssertionDataHashMalformed = "assertion.dataHash.malformed";

    /// <summary>Failure: the claim lists more than one hard binding.</summary>
    public const string AssertionMultipleHardBindings = "assertion.multipleHardBindings";

    /// <summary>Failure: an assertion's CBOR is invalid.</summary>
    public const string AssertionCborInvalid = "assertion.cbor.invalid";

    /// <summary>Failure: an assertion's JSON is invalid.</summary>
    public const string AssertionJsonInvalid = "assertion.json.invalid";

    /// <summary>Failure: a hash or signature algorithm is not supported.</summary>
    public const string AlgorithmUnsupported = "algorithm.unsupported";

    /// <summary>Failure: the manifest has no claim.</summary>
    public const string ClaimMissing = "claim.missing";

    /// <summary>Failure: the manifest has more than one claim.</summary>
    public const string ClaimMultiple = "claim.multiple";

    /// <summary>Failure: the claim's CBOR is invalid.</summary>
    public const string ClaimCborInvalid = "claim.cbor.invalid";

    /// <summary>Failure: the standard manifest has no hard binding.</summary>
    public const string ClaimHardBindingsMissing = "claim.hardBindings.missing";

    /// <summary>Failure: the manifest store or a manifest cannot be read.</summary>
    public const string ManifestInaccessible = "manifest.inaccessible";

    /// <summary>Failure: an ingredient names a manifest the store does not hold.</summary>
    public const string IngredientManifestMissing = "ingredient.manifest.missing";

    /// <summary>Failure: the hash of an ingredient's manifest reference did not match.</summary>
    public const string IngredientHashedUriMismatch = "ingredient.hashedURI.mismatch";

    /// <summary>Failure: an error no other code describes.</summary>
    public const string GeneralError = "general.error";
}
