using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The signers recovered from stored record signatures, in memory, at most about
/// <see cref="VerificationOptions.RecoveredSignerCapacity"/> of them: verifying a popular record again costs a dictionary
/// lookup instead of an elliptic-curve recovery (about a third of a millisecond of CPU).
/// </summary>
/// <remarks>
/// <para>Recovery is a pure function of the digest and the signature, so an entry never goes stale. The key is the digest the
/// caller computed from the stored fields in the deployment's domain, with the whole signature (r, s, v): a changed field,
/// another domain or another signature is another key, and is recovered afresh. The key is never the stored digest on its own:
/// an altered database could pair a known digest with other fields. What the answer says beyond the signature (revocation, the
/// node's registration, the anchoring) is read for every request; nothing else about a record is kept here.</para>
/// <para>Thread safety: any number of concurrent callers (<see cref="TwoGenerationCache{TKey, TValue}"/>).</para>
/// </remarks>
public sealed class RecoveredSignerCache
{
    private readonly TwoGenerationCache<SignedDigest, EvmAddress?> _signers;

    /// <summary>A cache of about <paramref name="capacity"/> signers (at most twice that).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public RecoveredSignerCache(int capacity) => _signers = new TwoGenerationCache<SignedDigest, EvmAddress?>(capacity);

    /// <summary>How many signers are held now (both generations; one in both counts twice).</summary>
    public int Count => _signers.Count;

    /// <summary>
    /// The address whose key made <paramref name="signature"/> over <paramref name="record"/> in <paramref name="verifier"/>'s
    /// domain: from the cache when this digest and signature were recovered before, else recovered now and kept.
    /// </summary>
    /// <param name="verifier">The deployment's verifier.</param>
    /// <param name="record">The record as stored.</param>
    /// <param name="digest">The record's digest, computed by the caller with <paramref name="verifier"/> from <paramref name="record"/>.</param>
    /// <param name="signature">The stored signature.</param>
    /// <param name="signer">The signer, when the signature recovers to a key.</param>
    /// <returns>False when the signature recovers to no key (the answer is kept too).</returns>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    public bool TryRecover(RecordSignatureVerifier verifier, ProvenanceRecord record, Bytes32 digest, EcdsaSignature signature, out EvmAddress signer)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(signature);
        var bytes = signature.AsSpan();
        var key = new SignedDigest(digest, Bytes32.FromBytes(bytes[..32]), Bytes32.FromBytes(bytes[32..64]), bytes[64]);
        if (!_signers.TryGet(key, out var kept))
        {
            kept = verifier.TryRecoverSigner(record, signature, out var recovered) ? recovered : null;
            _signers.Set(key, kept);
        }

        signer = kept ?? default;
        return kept is not null;
    }

    private readonly record struct SignedDigest(Bytes32 Digest, Bytes32 R, Bytes32 S, byte V);
}
