namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>One validation status the official SDK reports (C2PA technical specification, "Validation").</summary>
/// <param name="Code">The status code, e.g. <c>assertion.dataHash.match</c> or <c>signingCredential.untrusted</c>.</param>
/// <param name="Url">The JUMBF URI of what it is about (a claim signature, an assertion), when the SDK gives one.</param>
/// <param name="Explanation">The SDK's words, for messages.</param>
public sealed record C2paValidationStatus(string Code, string? Url, string? Explanation);
