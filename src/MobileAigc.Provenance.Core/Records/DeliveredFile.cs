using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// A node's statement that the file it delivered for one record, Content Credentials included, has
/// SHA-256 <paramref name="FileHash"/>. A record's <see cref="ProvenanceRecord.ContentHash"/> covers the
/// asset without its C2PA manifest store, and that store holds the record's signature, so the hash of
/// the file as delivered (what <c>sha256sum</c> prints) can only be stated after the record is signed:
/// hence this second, separate signature by the same node key.
/// </summary>
/// <param name="Record">The record's EIP-712 digest.</param>
/// <param name="FileHash">SHA-256 of the delivered file, byte for byte.</param>
public sealed record DeliveredFile(Bytes32 Record, Bytes32 FileHash);

/// <summary>A <see cref="DeliveredFile"/> with the node's signature over it (<see cref="DeliveredFileTypedData"/>).</summary>
/// <param name="File">The statement.</param>
/// <param name="Signature">The node key's EIP-712 signature in the ledger's domain.</param>
public sealed record SignedDeliveredFile(DeliveredFile File, EcdsaSignature Signature);
