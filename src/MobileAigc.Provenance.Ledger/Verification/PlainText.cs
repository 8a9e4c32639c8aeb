using System.Text;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>Recognises uploads that are plain UTF-8 text (what edge nodes deliver for text models).</summary>
public static class PlainText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// True when the bytes are valid UTF-8 (a BOM allowed) holding no control characters other than
    /// tab, line feed, form feed and carriage return. Binary files fail this almost always within the
    /// first few bytes, so random bytes are refused, not reported as unknown text.
    /// </summary>
    public static bool IsText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return false;
        }

        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text of bytes <see cref="IsText"/> accepted, without a byte order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var bom = Encoding.UTF8.Preamble;
        return Strict.GetString(bytes.StartsWith(bom) ? bytes[bom.Length..] : bytes);
    }
}
