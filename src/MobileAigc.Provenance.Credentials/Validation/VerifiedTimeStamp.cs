using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>A claim signature's RFC 3161 time-stamp that verified; when trusted, the time the signing credential is judged at.</summary>
/// <param name="Time">The token's <c>genTime</c>.</param>
/// <param name="Authority">The subject of the time-stamp authority's certificate.</param>
/// <param name="Version">v1 (<c>sigTst</c>) or v2 (<c>sigTst2</c>).</param>
/// <param name="Trusted">True when the authority chains to a time-stamp trust anchor: only then does its time count.</param>
public sealed record VerifiedTimeStamp(DateTimeOffset Time, string Authority, TimeStampVersion Version, bool Trusted);
