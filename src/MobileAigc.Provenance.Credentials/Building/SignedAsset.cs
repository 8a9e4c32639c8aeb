using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>A file with its Content Credentials embedded.</summary>
/// <param name="File">The signed file.</param>
/// <param name="ManifestLabel">The label of the manifest written (<c>urn:c2pa:…</c>).</param>
/// <param name="ManifestStore">The manifest store as embedded (what <c>application/c2pa</c> serves).</param>
/// <param name="AssetHash">The data hash: SHA-256 of the file less the store, which is the input asset's SHA-256.</param>
/// <param name="ExclusionStart">Where the embedded store starts in <paramref name="File"/>.</param>
/// <param name="ExclusionLength">How many bytes the embedded store takes there, container headers included.</param>
public sealed record SignedAsset(byte[] File, string ManifestLabel, byte[] ManifestStore, Bytes32 AssetHash, long ExclusionStart, long ExclusionLength);
