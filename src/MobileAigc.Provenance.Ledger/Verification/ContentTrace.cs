using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>What a tracer found, and how (<see cref="Match"/>, as the answer shows it).</summary>
/// <param name="Match">How the content was tied to what it leads to.</param>
public abstract record ContentTrace(VerificationMatch Match);

/// <summary>Content traced to a stored record, which verification then attests.</summary>
/// <param name="Record">The record.</param>
/// <param name="Match">How the content was tied to it.</param>
/// <param name="Evidence">What led to the record, as a phrase for the summary (e.g. "the image's watermark").</param>
public sealed record RecordTrace(StoredRecord Record, VerificationMatch Match, string Evidence) : ContentTrace(Match);

/// <summary>
/// Content traced to the node and model that made it but to no single record (a text watermark
/// names its key, not a record). Without a record there is no signature, proof or revocation to
/// check, so the verdict is always <see cref="VerificationVerdict.ModifiedButTraced"/> and the
/// tracer's <paramref name="Finding"/> is the whole summary.
/// </summary>
/// <param name="Node">The node.</param>
/// <param name="ModelHash">The model.</param>
/// <param name="Match">How the content was tied to them.</param>
/// <param name="Finding">The summary, in English, with the evidence.</param>
public sealed record OriginTrace(EvmAddress Node, Bytes32 ModelHash, VerificationMatch Match, string Finding) : ContentTrace(Match);
