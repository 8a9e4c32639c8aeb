using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// The claim signature: a COSE_Sign1 (tagged or not) with a detached payload (the claim's CBOR), its
/// algorithm, the signer's certificate chain (<c>x5chain</c>, label 33, in the protected header; older
/// files put it in the unprotected header or under the text key <c>"x5chain"</c>) and its RFC 3161
/// time-stamp when it has one.
/// </summary>
public sealed class ClaimSignature
{
    private static readonly CoseHeaderLabel X5Chain = new(33);
    private static readonly CoseHeaderLabel X5ChainText = new("x5chain");

    private ClaimSignature(ReadOnlyMemory<byte> bytes, CoseSign1Message? message, int? algorithm, IReadOnlyList<X509Certificate2> chain, ClaimTimeStamp? timeStamp, string? error)
    {
        Bytes = bytes;
        Message = message;
        Algorithm = algorithm;
        Chain = chain;
        TimeStamp = timeStamp;
        Error = error;
    }

    /// <summary>The COSE_Sign1 bytes as stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The decoded COSE_Sign1, or null when it does not decode (see <see cref="Error"/>).</summary>
    public CoseSign1Message? Message { get; }

    /// <summary>The COSE algorithm id of the protected header (-7 ES256, -37 PS256, -8 EdDSA, ...), or null.</summary>
    public int? Algorithm { get; }

    /// <summary>The certificates of <c>x5chain</c>, signer first; empty when none could be read.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The signer's certificate, or null.</summary>
    public X509Certificate2? Signer => Chain.Count > 0 ? Chain[0] : null;

    /// <summary>The time-stamp of the unprotected header (<c>sigTst2</c> or <c>sigTst</c>) as read, not verified; null when none.</summary>
    public ClaimTimeStamp? TimeStamp { get; }

    /// <summary>Why the signature or its chain could not be read, or null.</summary>
    public string? Error { get; }

    /// <summary>Reads a claim signature; unreadable input gives a signature with <see cref="Error"/>.</summary>
    public static ClaimSignature Read(ReadOnlyMemory<byte> bytes)
    {
        CoseSign1Message message;
        try
        {
            message = CoseMessage.DecodeSign1(bytes.Span);
        }
        catch (Exception e) when (e is CryptographicException or CborContentException or InvalidOperationException or ArgumentException)
        {
            return new ClaimSignature(bytes, null, null, [], null, "the claim signature is not a COSE_Sign1: " + e.Message);
        }

        int? algorithm = null;
        if (message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.Algorithm, out var alg))
        {
            try
            {
                algorithm = alg.GetValueAsInt32();
            }
            catch (InvalidOperationException)
            {
                algorithm = null;
            }
        }

        try
        {
            var chain = ReadChain(message);
            return new ClaimSignature(bytes, message, algorithm, chain, ClaimTimeStamp.Read(message.UnprotectedHeaders), chain.Count == 0 ? "the claim signature has no x5chain" : null);
        }
        catch (Exception e) when (e is CryptographicException or CborContentException or InvalidOperationException)
        {
            return new ClaimSignature(bytes, message, algorithm, [], null, "the claim signature's x5chain is unreadable: " + e.Message);
        }
    }

    private static List<X509Certificate2> ReadChain(CoseSign1Message message)
    {
        CoseHeaderValue value;
        if (!message.ProtectedHeaders.TryGetValue(X5Chain, out value)
            && !message.UnprotectedHeaders.TryGetValue(X5Chain, out value)
            && !message.UnprotectedHeaders.TryGetValue(X5ChainText, out value))
        {
            return [];
        }

        var reader = new CborReader(value.EncodedValue, CborConformanceMode.Lax);
        var certificates = new List<byte[]>();
        if (reader.PeekState() == CborReaderState.StartArray)
        {
            var count = reader.ReadStartArray();
            if (count is > 16)
            {
                throw new CborContentException($"an x5chain of {count} certificates");
            }

            while (reader.PeekState() != CborReaderState.EndArray && certificates.Count <= 16)
            {
                certificates.Add(reader.ReadByteString());
            }
        }
        else
        {
            certificates.Add(reader.ReadByteString());
        }

        return [.. certificates.Select(LoadEagerly)];
    }

    /// <summary>Loads a certificate and touches the fields the validator reads, so a malformed one fails here.</summary>
    private static X509Certificate2 LoadEagerly(byte[] der)
    {
        var certificate = X509CertificateLoader.LoadCertificate(der);
        _ = (certificate.NotBefore, certificate.NotAfter, certificate.Version, certificate.Subject, certificate.Extensions.Count, certificate.PublicKey.Oid.Value);
        foreach (var extension in certificate.Extensions)
        {
            _ = extension switch
            {
                X509KeyUsageExtension usage => usage.KeyUsages.ToString(),
                X509EnhancedKeyUsageExtension usages => usages.EnhancedKeyUsages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                X509BasicConstraintsExtension constraints => constraints.CertificateAuthority.ToString(),
                _ => "",
            };
        }

        return certificate;
    }
}
