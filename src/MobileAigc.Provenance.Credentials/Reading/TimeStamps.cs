using System.Formats.Cbor;
using System.Security.Cryptography.Cose;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>Reads the generation time of the RFC 3161 time-stamp in a claim signature's <c>sigTst</c>/<c>sigTst2</c> header.</summary>
internal static class TimeStamps
{
    private static readonly CoseHeaderLabel[] Labels = [new("sigTst2"), new("sigTst")];

    public static DateTimeOffset? SigningTime(CoseHeaderMap unprotectedHeaders)
    {
        foreach (var label in Labels)
        {
            if (!unprotectedHeaders.TryGetValue(label, out var value))
            {
                continue;
            }

            try
            {
                if (FirstToken(value.EncodedValue) is { } token && Parse(token) is { } time)
                {
                    return time;
                }
            }
            catch (Exception e) when (e is CborContentException or InvalidOperationException or TspException or CmsException or IOException or ArgumentException or FormatException or InvalidCastException)
            {
                // An unreadable time-stamp is as if there were none: the signing time is then unknown.
            }
        }

        return null;
    }

    private static byte[]? FirstToken(ReadOnlyMemory<byte> encoded)
    {
        var reader = new CborReader(encoded, CborConformanceMode.Lax);
        var pairs = reader.ReadStartMap();
        for (var i = 0; pairs is null ? reader.PeekState() != CborReaderState.EndMap : i < pairs; i++)
        {
            var key = reader.ReadTextString();
            if (key != "tstTokens")
            {
                reader.SkipValue();
                continue;
            }

            reader.ReadStartArray();
            if (reader.PeekState() == CborReaderState.EndArray)
            {
                return null;
            }

            var entries = reader.ReadStartMap();
            for (var j = 0; entries is null ? reader.PeekState() != CborReaderState.EndMap : j < entries; j++)
            {
                if (reader.ReadTextString() == "val")
                {
                    return reader.ReadByteString();
                }

                reader.SkipValue();
            }

            return null;
        }

        return null;
    }

    private static DateTimeOffset? Parse(byte[] token)
    {
        TimeStampToken? stamp;
        try
        {
            stamp = new TimeStampResponse(token).TimeStampToken;
        }
        catch (Exception e) when (e is TspException or IOException or ArgumentException or InvalidCastException)
        {
            stamp = new TimeStampToken(new CmsSignedData(token));
        }

        return stamp is null ? null : new DateTimeOffset(DateTime.SpecifyKind(stamp.TimeStampInfo.GenTime, DateTimeKind.Utc));
    }
}
