using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>
/// An RFC 3161 time-stamp authority for tests: an RSA key with a certificate (extended key usage
/// timeStamping, critical; key identifiers, which the SDK's profile wants) issued by its own test CA, and BouncyCastle's TSP generator to issue tokens
/// over whatever bytes a test names and at whatever time it names. RSA and fixed serial numbers keep a
/// token's length the same from one claim signature to the next, so a store's layout settles.
/// </summary>
internal sealed class TestTimeStampAuthority : IDisposable
{
    private const string TimeStampingPurpose = "1.3.6.1.5.5.7.3.8";
    private TestTimeStampAuthority(X509Certificate2 ca, X509Certificate2 certificate, RSA key)
    {
        Ca = ca;
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Certificate { get; }

    private RSA Key { get; }

    public static TestTimeStampAuthority Create(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test Time-Stamp CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-10), DateTimeOffset.UtcNow.AddYears(10));

        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Test Time-Stamp Authority", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingPurpose)], true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var issued = request.Create(ca, notBefore ?? DateTimeOffset.UtcNow.AddYears(-5), notAfter ?? DateTimeOffset.UtcNow.AddYears(5), [9, 8, 7, 6]);
        return new TestTimeStampAuthority(
            X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)),
            X509CertificateLoader.LoadCertificate(issued.RawData),
            key);
    }

    /// <summary>A DER <c>TimeStampToken</c> (CMS ContentInfo) over the SHA-256 of <paramref name="stamped"/>, issued at <paramref name="time"/>.</summary>
    public byte[] Token(byte[] stamped, DateTimeOffset time) => Generate(stamped, time).Token;

    /// <summary>A DER <c>TimeStampResp</c> (status granted, and the token) over the SHA-256 of <paramref name="stamped"/>.</summary>
    public byte[] Response(byte[] stamped, DateTimeOffset time) => Generate(stamped, time).Response;

    private (byte[] Token, byte[] Response) Generate(byte[] stamped, DateTimeOffset time)
    {
        var certificate = new BcCertificate(Certificate.RawData);
        var ca = new BcCertificate(Ca.RawData);
        var privateKey = PrivateKeyFactory.CreateKey(Key.ExportPkcs8PrivateKey());

        // A real authority signs at genTime; BouncyCastle's default CMS signingTime is the clock's, and the SDK
        // prefers that attribute to genTime, so it is set to genTime here.
        var signingTime = new Dictionary<DerObjectIdentifier, object>
        {
            [CmsAttributes.SigningTime] = new Org.BouncyCastle.Asn1.Cms.Attribute(CmsAttributes.SigningTime, new DerSet(new Time(time.UtcDateTime))),
        };
        var signer = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(signingTime)))
            .Build(new Asn1SignatureFactory("SHA256WITHRSA", privateKey), certificate);
        var generator = new TimeStampTokenGenerator(signer, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier("1.3.6.1.4.1.99999.1"), false);
        generator.SetCertificates(CollectionUtilities.CreateStore(new[] { certificate, ca }));
        var requests = new TimeStampRequestGenerator();
        requests.SetCertReq(true);
        var request = requests.Generate(TspAlgorithms.Sha256, SHA256.HashData(stamped), BigInteger.ValueOf(42));
        var responder = new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed);
        var response = responder.Generate(request, BigInteger.ValueOf(42), time.UtcDateTime);
        return (response.TimeStampToken.GetEncoded(), response.GetEncoded());
    }

    /// <summary>
    /// The COSE <c>CounterSignature</c> ToBeSigned a C2PA time-stamp covers, written here apart from the
    /// validator's: the protected header as stored, no external data, and the claim (v1) or the CBOR byte
    /// string of the signature (v2).
    /// </summary>
    public static byte[] ToBeStamped(byte[] coseSign1, byte[] claim, bool v2)
    {
        var message = CoseMessage.DecodeSign1(coseSign1);
        var payload = claim;
        if (v2)
        {
            var signature = new CborWriter();
            signature.WriteByteString(message.Signature.Span);
            payload = signature.Encode();
        }

        var writer = new CborWriter();
        writer.WriteStartArray(4);
        writer.WriteTextString("CounterSignature");
        writer.WriteByteString(message.RawProtectedHeaders.Span);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary><paramref name="coseSign1"/> with <paramref name="container"/> (already CBOR) under <paramref name="label"/> in its unprotected header.</summary>
    public static byte[] WithHeader(byte[] coseSign1, string label, byte[] container)
    {
        var message = CoseMessage.DecodeSign1(coseSign1);
        message.UnprotectedHeaders.Add(new CoseHeaderLabel(label), CoseHeaderValue.FromEncodedValue(container));
        return message.Encode();
    }

    /// <summary>A <c>tstContainer</c>: <c>{ "tstTokens": [ { "val": token }, ... ] }</c>.</summary>
    public static byte[] Container(params byte[][] tokens)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(1);
        writer.WriteTextString("tstTokens");
        writer.WriteStartArray(tokens.Length);
        foreach (var token in tokens)
        {
            writer.WriteStartMap(1);
            writer.WriteTextString("val");
            writer.WriteByteString(token);
            writer.WriteEndMap();
        }

        writer.WriteEndArray();
        writer.WriteEndMap();
        return writer.Encode();
    }

    public void Dispose()
    {
        Ca.Dispose();
        Certificate.Dispose();
        Key.Dispose();
    }
}
