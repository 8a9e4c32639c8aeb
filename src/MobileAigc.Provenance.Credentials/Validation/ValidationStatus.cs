namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>One validation status: a C2PA code, the JUMBF URI of the element it concerns, and why.</summary>
/// <param name="Code">A <see cref="ValidationStatusCodes"/> code.</param>
/// <param name="Url">The JUMBF URI of the element concerned, or null.</param>
/// <param name="Explanation">A human-readable explanation, or null.</param>
public sealed record ValidationStatus(string Code, string? Url, string? Explanation);

/// <summary>How the SDK summarises a manifest's validation.</summary>
public enum ValidationState
{
    /// <summary>A failure other than <c>signingCredential.untrusted</c>.</summary>
    Invalid,

    /// <summary>No failure except possibly an untrusted signer.</summary>
    Valid,

    /// <summary>No failure and the signer chains to a trust anchor.</summary>
    Trusted,
}

/// <summary>The statuses of one manifest, sorted into success, informational and failure as C2PA does.</summary>
public sealed class ManifestValidationResult
{
    private readonly List<ValidationStatus> _success = [];
    private readonly List<ValidationStatus> _informational = [];
    private readonly List<ValidationStatus> _failure = [];

    /// <summary>Creates an empty result for the manifest labelled <paramref name="manifestLabel"/>.</summary>
    public ManifestValidationResult(string manifestLabel) => ManifestLabel = manifestLabel;

    /// <summary>The label of the manifest validated.</summary>
    public string ManifestLabel { get; }

    /// <summary>Statuses that record a check passed.</summary>
    public IReadOnlyList<ValidationStatus> Success => _success;

    /// <summary>Statuses that inform without passing or failing.</summary>
    public IReadOnlyList<ValidationStatus> Informational => _informational;

    /// <summary>Statuses that record a check failed.</summary>
    public IReadOnlyList<ValidationStatus> Failure => _failure;

    /// <summary>
    /// Invalid when a failure other than <c>signingCredential.untrusted</c> is present; Trusted when
    /// <c>signingCredential.trusted</c> is; Valid otherwise.
    /// </summary>
    public ValidationState State =>
        _failure.Any(status => status.Code != ValidationStatusCodes.SigningCredentialUntrusted) ? ValidationState.Invalid
        : _success.Any(status => status.Code == ValidationStatusCodes.SigningCredentialTrusted) ? ValidationState.Trusted
        : ValidationState.Valid;

    /// <summary>The claim signature's time-stamp when it verified, or null; the signing credential was judged at its time when it is <see cref="VerifiedTimeStamp.Trusted"/>.</summary>
    public VerifiedTimeStamp? TimeStamp { get; set; }

    /// <summary>The codes of the failures.</summary>
    public IEnumerable<string> FailureCodes => _failure.Select(status => status.Code);

    /// <summary>A new result for the same manifest holding the same statuses.</summary>
    public ManifestValidationResult Copy()
    {
        var copy = new ManifestValidationResult(ManifestLabel) { TimeStamp = TimeStamp };
        copy._success.AddRange(_success);
        copy._informational.AddRange(_informational);
        copy._failure.AddRange(_failure);
        return copy;
    }

    /// <summary>Adds a success status.</summary>
    public void AddSuccess(string code, string? url, string? explanation = null) => _success.Add(new(code, url, explanation));

    /// <summary>Adds an informational status.</summary>
    public void AddInformational(string code, string? url, string? explanation = null) => _informational.Add(new(code, url, explanation));

    /// <summary>Adds a failure status.</summary>
    public void AddFailure(string code, string? url, string? explanation = null) => _failure.Add(new(code, url, explanation));
}
