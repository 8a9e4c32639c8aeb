namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// The JUMBF description-box type UUIDs C2PA uses. C2PA's own types are the four-character code
/// followed by <c>-0011-0010-8000-00AA00389B71</c>; the embedded-file type is ISO 19566-5's.
/// </summary>
public static class C2paContentTypes
{
    /// <summary><c>c2pa</c>: the manifest store.</summary>
    public static readonly Guid ManifestStore = FourCcType("63327061");

    /// <summary><c>c2ma</c>: a standard manifest.</summary>
    public static readonly Guid Manifest = FourCcType("63326D61");

    /// <summary><c>c2um</c>: an update manifest.</summary>
    public static readonly Guid UpdateManifest = FourCcType("6332756D");

    /// <summary><c>c2as</c>: the assertion store of a manifest.</summary>
    public static readonly Guid AssertionStore = FourCcType("63326173");

    /// <summary><c>c2cl</c>: the claim.</summary>
    public static readonly Guid Claim = FourCcType("6332636C");

    /// <summary><c>c2cs</c>: the claim signature.</summary>
    public static readonly Guid Signature = FourCcType("63326373");

    /// <summary><c>c2vc</c>: the W3C verifiable credential store.</summary>
    public static readonly Guid CredentialStore = FourCcType("63327663");

    /// <summary><c>cbor</c>: a superbox whose content is one CBOR box.</summary>
    public static readonly Guid Cbor = FourCcType("63626F72");

    /// <summary><c>json</c>: a superbox whose content is one JSON box.</summary>
    public static readonly Guid Json = FourCcType("6A736F6E");

    /// <summary><c>uuid</c>: a superbox whose content is one UUID box.</summary>
    public static readonly Guid Uuid = FourCcType("75756964");

    /// <summary>ISO 19566-5 embedded file (a <c>bfdb</c> then a <c>bidb</c> box): thumbnails, for instance.</summary>
    public static readonly Guid EmbeddedFile = new("40CB0C32-BB8A-489D-A70B-2AD6F47F4369");

    private static Guid FourCcType(string hex) => new(hex + "-0011-0010-8000-00AA00389B71");
}
