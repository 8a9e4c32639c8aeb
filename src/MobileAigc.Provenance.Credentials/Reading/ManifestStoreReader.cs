using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// Reads manifest stores into <see cref="ManifestStore"/>. Broken JUMBF is a
/// <see cref="JumbfException"/>; broken CBOR, JSON or COSE inside a well-formed store is kept on the
/// element concerned (<c>Error</c>) for the validator to report.
/// </summary>
public static class ManifestStoreReader
{
    /// <summary>Reads the manifest store in <paramref name="storeBytes"/>.</summary>
    /// <exception cref="JumbfException">When the bytes are no well-formed C2PA manifest store.</exception>
    public static ManifestStore Read(ReadOnlyMemory<byte> storeBytes, JumbfLimits? limits = null)
    {
        var box = JumbfReader.ReadSuperBox(storeBytes, limits);
        if (box.ContentType != C2paContentTypes.ManifestStore)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, $"the superbox '{box.Label}' is not a C2PA manifest store");
        }

        var manifests = box.SuperBoxes
            .Where(child => child.ContentType == C2paContentTypes.Manifest || child.ContentType == C2paContentTypes.UpdateManifest)
            .Select(ReadManifest)
            .ToList();
        return new ManifestStore(box, manifests);
    }

    /// <summary>Reads the manifest store embedded in a PNG, JPEG or WebP file, or null when it has none.</summary>
    /// <exception cref="JumbfException">When the file is not PNG, JPEG or WebP, or its store is broken.</exception>
    public static ManifestStore? ReadFile(ReadOnlyMemory<byte> file) =>
        AssetContainers.Locate(file) is { } location ? Read(location.ManifestStore) : null;

    private static Manifest ReadManifest(JumbfSuperBox box)
    {
        var claims = box.SuperBoxes
            .Where(child => child.ContentType == C2paContentTypes.Claim)
            .Select(child => Claim.Read(child.Label ?? "c2pa.claim", child.FindData(JumbfBoxTypes.Cbor)?.Payload ?? ReadOnlyMemory<byte>.Empty))
            .ToList();
        var signatures = box.SuperBoxes
            .Where(child => child.ContentType == C2paContentTypes.Signature)
            .Select(child => ClaimSignature.Read(child.FindData(JumbfBoxTypes.Cbor)?.Payload ?? ReadOnlyMemory<byte>.Empty))
            .ToList();
        var assertionStore = box.SuperBoxes.FirstOrDefault(child => child.ContentType == C2paContentTypes.AssertionStore);
        return new Manifest(box, claims, signatures, assertionStore);
    }
}
