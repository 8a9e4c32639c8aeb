using System.Formats.Cbor;
using System.Security.Cryptography;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// A C2PA hashed URI as the builder writes it (the reader's is <see cref="Reading.HashedUri"/>): a JUMBF URI and the SHA-256 of the box it names (the superbox's payload:
/// its description box and content boxes, not its own header).
/// </summary>
/// <param name="Url">The JUMBF URI, for example <c>self#jumbf=c2pa.assertions/c2pa.actions.v2</c>.</param>
/// <param name="Hash">The 32-byte SHA-256 of the box's payload.</param>
internal sealed record HashedUriEntry(string Url, ReadOnlyMemory<byte> Hash)
{
    /// <summary>The hashed URI of <paramref name="superbox"/> at <paramref name="url"/>.</summary>
    internal static HashedUriEntry Of(string url, JumbfSuperBox superbox) =>
        new(url, SHA256.HashData(superbox.EncodedPayload.Span));

    /// <summary>Writes the <c>hashed-uri-map</c> (url, hash; the algorithm is the claim's <c>alg</c>).</summary>
    internal void WriteTo(CborWriter writer)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("url");
        writer.WriteTextString(Url);
        writer.WriteTextString("hash");
        writer.WriteByteString(Hash.Span);
        writer.WriteEndMap();
    }
}
