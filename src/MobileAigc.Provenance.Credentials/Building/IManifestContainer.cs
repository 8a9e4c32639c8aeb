namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>How one file format carries a manifest store: where it goes and which bytes it takes.</summary>
internal interface IManifestContainer
{
    /// <summary>The format's media type.</summary>
    string MediaType { get; }

    /// <summary>True when <paramref name="asset"/> is a file of this format.</summary>
    bool Recognizes(ReadOnlySpan<byte> asset);

    /// <summary>The file with <paramref name="store"/> embedded (the asset holds no store).</summary>
    byte[] Embed(ReadOnlySpan<byte> asset, ReadOnlySpan<byte> store);

    /// <summary>The bytes the embedded store takes in <paramref name="file"/>, its containers' headers
    /// included: the <c>c2pa.hash.data</c> exclusion.</summary>
    (long Start, long Length) Locate(ReadOnlySpan<byte> file);
}
