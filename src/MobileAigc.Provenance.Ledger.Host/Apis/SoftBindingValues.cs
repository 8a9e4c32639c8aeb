using System.Buffers.Binary;
using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>The binding values of our algorithms (<c>value</c>, <c>hintValue</c>): their formats, and the lookups they ask for.</summary>
public static partial class SoftBindingApi
{
    // A binding value decoded into the lookup it asks for, or the problem with it.
    internal static (Func<SoftBindingLookup, int, CancellationToken, Task<IReadOnlyList<RecordMatch>>>? Binding, ProblemHttpResult? Problem) Decode(
        string alg, string value)
    {
        if (!SoftBindingLookup.Supports(alg))
        {
            return (null, UnknownAlgorithm(alg));
        }

        var bytes = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value, bytes, out var length))
        {
            return (null, LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value", "'value' is not base64."));
        }

        var decoded = bytes.AsSpan(0, length);
        switch (alg)
        {
            case SoftBindingAlgorithms.ImageWatermark when length == sizeof(ulong) || (length == Bytes32.Length && decoded[8..].IndexOfAnyExcept((byte)0) < 0):
                var payload = BinaryPrimitives.ReadUInt64BigEndian(decoded);
                return ((lookup, max, ct) => lookup.MatchWatermarkAsync(payload, max, ct), null);
            case SoftBindingAlgorithms.ImageWatermark:
                return (null, LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value",
                    $"A {SoftBindingAlgorithms.ImageWatermark} value is the 8-byte payload (or the 32-byte watermark id), base64."));
            case SoftBindingAlgorithms.PerceptualHash when length == Bytes32.Length:
                var hash = Bytes32.FromBytes(decoded);
                return ((lookup, max, ct) => lookup.MatchPerceptualHashAsync(hash, max, ct), null);
            case SoftBindingAlgorithms.Pdq when length == Bytes32.Length:
                var pdq = Bytes32.FromBytes(decoded);
                return ((lookup, max, ct) => lookup.MatchPdqAsync(pdq, max, ct), null);
            default:
                return (null, LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value",
                    $"A {alg} value is the 32 hash bytes, base64."));
        }
    }
}
