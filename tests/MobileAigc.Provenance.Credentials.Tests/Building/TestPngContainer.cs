using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Building;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>A minimal PNG carrier (a caBX chunk after IHDR) for builder tests independent of the Containers folder.</summary>
internal sealed class TestPngContainer : IManifestContainer
{
    private const int AfterHeader = 8 + 25;

    public string MediaType => "image/png";

    public bool Recognizes(ReadOnlySpan<byte> asset) => asset.Length > AfterHeader && asset[..8].SequenceEqual<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    public byte[] Embed(ReadOnlySpan<byte> asset, ReadOnlySpan<byte> store) =>
        [.. asset[..AfterHeader], .. TestImages.Chunk("caBX", store), .. asset[AfterHeader..]];

    public (long Start, long Length) Locate(ReadOnlySpan<byte> file)
    {
        var offset = 8;
        while (offset + 12 <= file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file[offset..]);
            if (file.Slice(offset + 4, 4).SequenceEqual("caBX"u8))
            {
                return (offset, length + 12);
            }

            offset += length + 12;
        }

        throw new InvalidOperationException("No caBX chunk.");
    }
}
