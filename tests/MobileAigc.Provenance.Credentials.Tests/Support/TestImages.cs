using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>Small PNG files and manifest-store-shaped JUMBF built in code.</summary>
internal static class TestImages
{
    public static byte[] Png(int idatBytes = 32)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, 4);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 4);
        ihdr[8] = 8;
        ihdr[9] = 2;
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [.. Enumerable.Range(0, idatBytes).Select(i => (byte)i)]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    public static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var chunk = new byte[data.Length + 12];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), JumbfBoxTypes.FromFourCc(type));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        stream.Write(chunk);
    }

    /// <summary>A manifest store shaped like C2PA's with <paramref name="payloadBytes"/> of CBOR-box filler.</summary>
    public static JumbfSuperBox Store(int payloadBytes = 100)
    {
        var filler = new byte[payloadBytes];
        new Random(7).NextBytes(filler);
        var assertion = new JumbfSuperBox(C2paContentTypes.Cbor, "c2pa.hash.data", JumbfDataBox.Cbor(filler));
        var assertions = new JumbfSuperBox(C2paContentTypes.AssertionStore, "c2pa.assertions", assertion);
        var claim = new JumbfSuperBox(C2paContentTypes.Claim, "c2pa.claim.v2", JumbfDataBox.Cbor(new byte[] { 0xA0 }));
        var manifest = new JumbfSuperBox(C2paContentTypes.Manifest, "urn:c2pa:00000000-0000-4000-8000-000000000001", assertions, claim);
        return new JumbfSuperBox(C2paContentTypes.ManifestStore, "c2pa", manifest);
    }
}
