using System.Buffers.Binary;

namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// The format and declared size of a PNG, JPEG or WebP file, read from its first bytes by our own
/// bounds-checked parser before any native decoder sees them: files of another format, or that
/// declare more pixels than we accept, are refused without SkiaSharp parsing or allocating anything.
/// </summary>
internal readonly record struct ImageHeader(ImageFileFormat Format, long Width, long Height)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>PNG, JPEG or WebP by signature; null for anything else.</summary>
    public static ImageFileFormat? Sniff(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith(PngSignature))
        {
            return ImageFileFormat.Png;
        }

        if (WebpHeader.HasSignature(file))
        {
            return ImageFileFormat.Webp;
        }

        return file.Length >= 3 && file[0] == 0xFF && file[1] == 0xD8 && file[2] == 0xFF ? ImageFileFormat.Jpeg : null;
    }

    /// <summary>Reads the format and declared size.</summary>
    /// <exception cref="UnreadableImageException">Empty, not PNG/JPEG/WebP, truncated or malformed before the size is known (for WebP: anywhere in its chunks), animated WebP, or too large.</exception>
    public static ImageHeader Read(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty)
        {
            throw new UnreadableImageException(UnreadableImageReason.Empty, "The file is empty.");
        }

        var header = Sniff(file) switch
        {
            ImageFileFormat.Png => ReadPng(file),
            ImageFileFormat.Jpeg => ReadJpeg(file),
            ImageFileFormat.Webp => WebpHeader.Read(file),
            _ => throw new UnreadableImageException(
                UnreadableImageReason.UnsupportedFormat,
                $"Unsupported format: {DescribeOtherFormat(file)}; only PNG, JPEG and WebP images are accepted."),
        };

        RequireAcceptableSize(header.Format, header.Width, header.Height);
        return header;
    }

    /// <summary>Refuses an empty size, or one over <see cref="RgbImage.MaxSide"/> or <see cref="RgbImage.MaxPixels"/>.</summary>
    /// <exception cref="UnreadableImageException">Corrupt when a side is 0; too large when over the limits.</exception>
    public static void RequireAcceptableSize(ImageFileFormat format, long width, long height)
    {
        if (width < 1 || height < 1)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.Corrupt, $"The {format} header declares an empty image ({width}×{height}).");
        }

        if (width > RgbImage.MaxSide || height > RgbImage.MaxSide || width * height > RgbImage.MaxPixels)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.TooLarge,
                $"Image of {width}×{height} pixels is too large (sides up to {RgbImage.MaxSide}, at most {RgbImage.MaxPixels} pixels).");
        }
    }

    // PNG: 8-byte signature, then the IHDR chunk: length (13), "IHDR", width, height (big-endian, 31-bit).
    private static ImageHeader ReadPng(ReadOnlySpan<byte> file)
    {
        const int ihdrEnd = 8 + 4 + 4 + 13 + 4;
        if (file.Length < ihdrEnd)
        {
            throw new UnreadableImageException(UnreadableImageReason.Truncated, "The PNG file is truncated (it ends inside its header).");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(file[8..]) != 13 || !file[12..16].SequenceEqual("IHDR"u8))
        {
            throw new UnreadableImageException(UnreadableImageReason.Corrupt, "The PNG file is corrupt (its first chunk is not a valid IHDR header).");
        }

        if (!PngChunks.HasValidCrc(file[12..ihdrEnd]))
        {
            throw new UnreadableImageException(UnreadableImageReason.Corrupt, "The PNG file is corrupt (CRC mismatch in chunk IHDR).");
        }

        return new ImageHeader(
            ImageFileFormat.Png, BinaryPrimitives.ReadUInt32BigEndian(file[16..]), BinaryPrimitives.ReadUInt32BigEndian(file[20..]));
    }

    // JPEG: walk the marker segments after SOI up to the frame header (SOFn), which holds the size.
    // Segments are skipped by their declared length, so a thumbnail inside EXIF is never mistaken for the frame.
    private static ImageHeader ReadJpeg(ReadOnlySpan<byte> file)
    {
        var position = 2;
        while (true)
        {
            // Stray bytes between segments are skipped, as libjpeg does (with a warning); a marker may
            // be preceded by any number of 0xFF fill bytes.
            while (position < file.Length && file[position] != 0xFF)
            {
                position++;
            }

            while (position < file.Length && file[position] == 0xFF)
            {
                position++;
            }

            if (position >= file.Length)
            {
                throw new UnreadableImageException(UnreadableImageReason.Truncated, "The JPEG file is truncated (it ends before its frame header).");
            }

            var marker = file[position++];
            if (marker is 0x00 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // A stray FF 00, or a stand-alone marker without a length.
            }

            if (marker is 0xD8 or 0xD9 or 0xDA)
            {
                throw new UnreadableImageException(
                    UnreadableImageReason.Corrupt, $"The JPEG file is corrupt (marker 0xFF{marker:X2} before its frame header).");
            }

            if (position + 2 > file.Length)
            {
                throw new UnreadableImageException(UnreadableImageReason.Truncated, "The JPEG file is truncated (it ends inside a segment header).");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(file[position..]);
            if (length < 2)
            {
                throw new UnreadableImageException(
                    UnreadableImageReason.Corrupt, $"The JPEG file is corrupt (segment 0xFF{marker:X2} declares length {length}).");
            }

            if (IsStartOfFrame(marker))
            {
                if (length < 8)
                {
                    throw new UnreadableImageException(
                        UnreadableImageReason.Corrupt, $"The JPEG file is corrupt (frame header 0xFF{marker:X2} declares length {length}).");
                }

                if (position + 7 > file.Length)
                {
                    throw new UnreadableImageException(UnreadableImageReason.Truncated, "The JPEG file is truncated (it ends inside its frame header).");
                }

                return new ImageHeader(
                    ImageFileFormat.Jpeg,
                    Width: BinaryPrimitives.ReadUInt16BigEndian(file[(position + 5)..]),
                    Height: BinaryPrimitives.ReadUInt16BigEndian(file[(position + 3)..]));
            }

            position += length;
        }
    }

    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static string DescribeOtherFormat(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith("GIF87a"u8) || file.StartsWith("GIF89a"u8))
        {
            return "GIF image";
        }

        if (file.Length >= 12 && file[4..8].SequenceEqual("ftyp"u8))
        {
            return "HEIF/AVIF or other ISO media file";
        }

        if (file.StartsWith("BM"u8))
        {
            return "BMP image";
        }

        if (file.StartsWith("II*\0"u8) || file.StartsWith("MM\0*"u8))
        {
            return "TIFF image";
        }

        if (file.StartsWith("%PDF"u8))
        {
            return "PDF document";
        }

        return "not a recognised image (unknown signature)";
    }
}
