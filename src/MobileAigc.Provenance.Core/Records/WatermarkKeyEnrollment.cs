using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// A node's statement that a watermark key is its own, signed with its node key (EIP-712, in the
/// <c>ProvenanceLedger</c> domain, see <see cref="WatermarkKeyEnrollmentTypedData"/>). A verifier that
/// holds a node's watermark key attributes a watermark read with it only to that node's records, so a
/// key cannot be passed off as another node's, and one node's key cannot lend its marks to another
/// node's records.
/// </summary>
/// <param name="Node">The node's signing address.</param>
/// <param name="KeyId">The key's public fingerprint (<c>WatermarkIds.ForEnrollment</c>): names the key, reveals nothing of it.</param>
/// <param name="EnrolledAt">When the node enrolled the key, in Unix seconds (a rotated key has a later enrollment).</param>
public sealed record WatermarkKeyEnrollment(EvmAddress Node, Bytes32 KeyId, ulong EnrolledAt);
