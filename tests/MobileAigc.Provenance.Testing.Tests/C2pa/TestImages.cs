using System.Buffers.Binary;
using System.Text;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>Small PNG and JPEG files to sign, and the one-byte edits the data hash must catch.</summary>
internal static class TestImages
{
    public static byte[] Encode(string mime) => ImageCodec.Encode(Gradient(), Format(mime));

    /// <summary>
    /// The file with one byte of pixel data changed: in the first IDAT chunk of a PNG, in the entropy-coded scan of a
    /// JPEG. Both lie outside the manifest store (its own PNG chunk, or APP11 segments before the scan).
    /// </summary>
    public static byte[] WithPixelByteChanged(byte[] file, string mime)
    {
        var changed = (byte[])file.Clone();
        var index = Format(mime) == ImageFileFormat.Png ? FirstIdatDataByte(file) : ScanByteBeforeEnd(file);
        changed[index] ^= 0x01;
        return changed;
    }

    private static ImageFileFormat Format(string mime) => mime switch
    {
        "image/png" => ImageFileFormat.Png,
        "image/jpeg" => ImageFileFormat.Jpeg,
        _ => throw new ArgumentOutOfRangeException(nameof(mime), mime, "image/png or image/jpeg"),
    };

    private static RgbImage Gradient()
    {
        const int side = 64;
        var image = RgbImage.Create(side, side);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var i = ((y * side) + x) * 3;
                image.Pixels[i] = (byte)(x * 4);
                image.Pixels[i + 1] = (byte)(y * 4);
                image.Pixels[i + 2] = (byte)((x + y) * 2);
            }
        }

        return image;
    }

    private static int FirstIdatDataByte(byte[] png)
    {
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (Encoding.ASCII.GetString(png, offset + 4, 4) == "IDAT" && length > 4)
            {
                return offset + 8 + (length / 2);
            }

            offset += 12 + length;
        }

        throw new InvalidOperationException("The PNG has no IDAT chunk.");
    }

    // A byte shortly before the end-of-image marker whose change makes no marker (no 0xFF, none after 0xFF).
    private static int ScanByteBeforeEnd(byte[] jpeg)
    {
        for (var index = jpeg.Length - 8; index > 2; index--)
        {
            if (jpeg[index] < 0xF0 && jpeg[index - 1] != 0xFF)
            {
                return index;
            }
        }

        throw new InvalidOperationException("The JPEG has no scan byte to change.");
    }
}
