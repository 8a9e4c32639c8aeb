using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>
/// The reference's test photographs (ThreatExchange <c>pdq/data/</c>, BSD licence) and the hashes the reference
/// publishes for them: the C++ <c>pdq-photo-hasher</c> for the <c>dih/</c> set, the Python port for
/// <c>bridge-mods/</c>. A subset is committed in tests/fixtures/pdq; the whole set is read where the shared copy exists.
/// </summary>
internal static class PdqReferenceVectors
{
    /// <summary>Where the whole set sits on the project's machines (not part of the repository).</summary>
    public const string SharedFolder = "/work/shared/pdq-vectors";

    /// <summary>The distance every hash of ours must stay within: the ports differ by up to 8 through their decoders.</summary>
    public const int Tolerance = 10;

    /// <summary>Published hash of each photograph, by path relative to the set's folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> Published = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dih/bridge-1-original.jpg"] = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22",
        ["dih/bridge-2-rotate-90.jpg"] = "b0a10efd71cc3f429413d48d0ffffe12e34e0e17ada952a9d29684210aa9e5af",
        ["dih/bridge-3-rotate-180.jpg"] = "adad5a64b5a142e55362a09057dacd5ae63b847fc23794b766b319361fc93188",
        ["dih/bridge-4-rotate-270.jpg"] = "a5f4a457a48995e8c9065c275aaa5498b61ba4bdf8fcf80387c32f8b0bfc4f05",
        ["dih/bridge-5-flipx.jpg"] = "f8f80f31e0f417b00e37f5cd028f980fb36ed02a9662c1e233e6cc634e9c64dd",
        ["dih/bridge-6-flipy.jpg"] = "8dad2599b1a1bd1853625f6553da32a1e63b7280c2374b4866b366c91bc9ce77",
        ["dih/bridge-7-flip-plus-1.jpg"] = "f0a1f102f1dcc0bd9c5309720fff018de34ef1e8ada9a956d2967ade0ea91a50",
        ["dih/bridge-8-flip-minus-1.jpg"] = "a5f05ba8a4896a17c106a3da5aaaab07b61b5b42f8fc07fc83c3d0740bfcb0fa",
        ["bridge-mods/aaa-orig.jpg"] = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22",
        ["bridge-mods/blur-a-little.jpg"] = "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22",
        ["bridge-mods/blur-a-lot.jpg"] = "d8f8f0cce0f4e84f0637022a028f67f0b36e2ed596623e1d33e6b39c4e9c9b22",
        ["bridge-mods/high-contrast.jpg"] = "d8f8f0cce0f4e84d06370a32068f67f0b36e2ed596623e1d33e6339c4e9c9b22",
        ["bridge-mods/high-saturation.jpg"] = "d8f8f0cce0f4e84f0e370a22028f67f0b36e2ed596621e1d33e6b39c4e9c9b22",
        ["bridge-mods/sharpen-a-little.jpg"] = "d8f8f0cce0f4a84f0e370a22038f67f0b36e2ed596621e1d33e6b39c4e9c9b22",
        ["bridge-mods/sharpen-a-lot.jpg"] = "d0f8f1cec0f4a8470a370a32238f67f0b36e2ef597231e1d72a6a39c4e9c9b22",
        ["bridge-mods/shrink-a-little.jpg"] = "d8f8f0cce0f4a84f0e370a22038f67f0b36e2ed596621e1d33e6b39c4e9c9b22",
        ["bridge-mods/shrink-a-lot.jpg"] = "d0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22",
        ["bridge-mods/square-128x128.jpg"] = "d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22",
        ["bridge-mods/square-256x256.jpg"] = "d8f8f0cec4f4a84f0637022a078f67f0b36e2ee5b6621e1d33e6239c4e9c9b22",
        ["bridge-mods/square-512x512.jpg"] = "d8f8f0cec0f4a84f0637022a278f67f0b36e2ed596621e1d33e6339c4e9c9b22",
    };

    /// <summary>The file of each dihedral form of the bridge photograph in the <c>dih/</c> set.</summary>
    public static readonly IReadOnlyDictionary<PdqDihedral, string> DihedralFiles = new Dictionary<PdqDihedral, string>
    {
        [PdqDihedral.Original] = "dih/bridge-1-original.jpg",
        [PdqDihedral.Rotate90] = "dih/bridge-2-rotate-90.jpg",
        [PdqDihedral.Rotate180] = "dih/bridge-3-rotate-180.jpg",
        [PdqDihedral.Rotate270] = "dih/bridge-4-rotate-270.jpg",
        [PdqDihedral.FlipX] = "dih/bridge-5-flipx.jpg",
        [PdqDihedral.FlipY] = "dih/bridge-6-flipy.jpg",
        [PdqDihedral.FlipPlus1] = "dih/bridge-7-flip-plus-1.jpg",
        [PdqDihedral.FlipMinus1] = "dih/bridge-8-flip-minus-1.jpg",
    };

    /// <summary>The committed subset, in tests/fixtures/pdq (flat), by their path in the set.</summary>
    public static readonly string[] Committed =
    [
        "dih/bridge-1-original.jpg",
        "dih/bridge-2-rotate-90.jpg",
        "bridge-mods/shrink-a-lot.jpg",
        "bridge-mods/square-128x128.jpg",
        "bridge-mods/square-256x256.jpg",
        "bridge-mods/square-512x512.jpg",
    ];

    /// <summary>
    /// The Java port's hash of <c>dih/bridge-1-original.jpg</c> (its unit test), from the whole picture decoded by
    /// Java's own JPEG decoder: 8 bits from the C++ tool's hash of the same file.
    /// </summary>
    public const string JavaPortBridgeOriginal = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    /// <summary>The side the Python tool that published the <c>bridge-mods/</c> hashes shrinks pictures to fit first.</summary>
    public const int PythonToolThumbnailSide = 512;

    public static PdqHash PublishedHash(string path) => PdqHash.Parse(Published[path]);

    /// <summary>
    /// The picture as the tool that published its hash hashed it: whole for the C++ tool's <c>dih/</c> set; for the
    /// Python tool's <c>bridge-mods/</c> set shrunk to fit 512×512 with its aspect kept, as that tool's
    /// <c>fromFile</c> does (PIL's <c>thumbnail</c>; here SkiaSharp's filtered resize).
    /// </summary>
    public static RgbImage AsPublisherHashedIt(string path, RgbImage image)
    {
        if (!path.StartsWith("bridge-mods/", StringComparison.Ordinal)
            || (image.Width <= PythonToolThumbnailSide && image.Height <= PythonToolThumbnailSide))
        {
            return image;
        }

        var scale = Math.Min(PythonToolThumbnailSide / (double)image.Width, PythonToolThumbnailSide / (double)image.Height);
        return ImageCodec.Resize(image, (int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale));
    }

    /// <summary>A committed photograph's bytes, found by walking up to the repository root.</summary>
    public static byte[] ReadCommitted(string path) => File.ReadAllBytes(Path.Combine(FixtureFolder(), Path.GetFileName(path)));

    private static string FixtureFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "fixtures", "pdq");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/pdq not found above " + AppContext.BaseDirectory);
    }
}
