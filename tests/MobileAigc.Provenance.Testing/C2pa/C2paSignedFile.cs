namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>What the official SDK signed: the asset with its manifest store embedded, and that store alone.</summary>
/// <param name="File">The signed asset.</param>
/// <param name="ManifestStore">
/// The manifest store (JUMBF, <c>application/c2pa</c>) embedded in <paramref name="File"/>: in a PNG the data of its
/// <c>caBX</c> chunk, in a JPEG the JUMBF its APP11 segments carry (split across segments when over 64 KiB).
/// </param>
public sealed record C2paSignedFile(byte[] File, byte[] ManifestStore);
