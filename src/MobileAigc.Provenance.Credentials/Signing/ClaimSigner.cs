using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;

namespace MobileAigc.Provenance.Credentials.Signing;

/// <summary>
/// Signs a C2PA claim: a tagged COSE_Sign1 with a detached payload (the claim's CBOR), the algorithm
/// and the <c>x5chain</c> (label 33) in the protected header, and a zero-filled <c>pad</c> in the
/// unprotected header so the signature fills exactly the space reserved for it in the manifest
/// store (the store is laid out, and its data hash computed, before the claim is signed).
/// </summary>
public static class ClaimSigner
{
    /// <summary>The COSE header label of the X.509 chain (RFC 9360).</summary>
    public const int X5ChainLabel = 33;

    /// <summary>The unprotected header label of the zero-filled padding C2PA defines.</summary>
    public const string PadLabel = "pad";

    /// <summary>
    /// The size of the signature <see cref="Sign"/> writes for <paramref name="signer"/> with no padding:
    /// reserve at least this many bytes. ES256 signatures have a fixed length, so this is exact.
    /// </summary>
    public static int MinimumSize(ICredentialSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        using var placeholder = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Encode([0], placeholder, signer, padLength: 0).Length;
    }

    /// <summary>
    /// Signs <paramref name="claimCbor"/> and pads the COSE_Sign1 to exactly <paramref name="reservedSize"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="reservedSize"/> is smaller than
    /// <see cref="MinimumSize"/>, or falls where no pad length reaches it exactly (one byte past a
    /// CBOR length boundary: reserve one more byte).</exception>
    /// <exception cref="CryptographicException">The signer failed or returned a malformed signature.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> claimCbor, ICredentialSigner signer, int reservedSize)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (signer.Algorithm != CredentialSigningAlgorithm.Es256)
        {
            throw new ArgumentException($"Unsupported claim signature algorithm {signer.Algorithm}.", nameof(signer));
        }

        using var key = new SignerBackedEcdsa(signer);
        var unpadded = Encode(claimCbor, key, signer, padLength: 0);
        var padLength = reservedSize - unpadded.Length;
        if (padLength < 0)
        {
            throw new ArgumentException($"The signature needs {unpadded.Length} bytes but only {reservedSize} are reserved.", nameof(reservedSize));
        }

        if (padLength == 0)
        {
            return unpadded;
        }

        // A longer bstr may need a longer CBOR length prefix; the signature keeps its length, so the
        // size is a function of the pad length alone and a re-signature is the only cost.
        var growth = PadPrefixLength(padLength) - PadPrefixLength(0);
        var signed = Encode(claimCbor, key, signer, padLength - growth);
        if (signed.Length != reservedSize)
        {
            throw new ArgumentException($"No pad reaches a signature of exactly {reservedSize} bytes; reserve {reservedSize + 1}.", nameof(reservedSize));
        }

        return signed;
    }

    private static int PadPrefixLength(int padLength) => padLength switch
    {
        < 24 => 1,
        < 256 => 2,
        < 65536 => 3,
        _ => 5,
    };

    private static byte[] Encode(ReadOnlySpan<byte> claimCbor, ECDsa key, ICredentialSigner signer, int padLength)
    {
        var protectedHeaders = new CoseHeaderMap
        {
            { CoseHeaderLabel.Algorithm, (int)signer.Algorithm },
            { new CoseHeaderLabel(X5ChainLabel), CoseHeaderValue.FromEncodedValue(EncodeChain(signer)) },
        };
        var unprotectedHeaders = new CoseHeaderMap
        {
            { new CoseHeaderLabel(PadLabel), CoseHeaderValue.FromBytes(new byte[Math.Max(0, padLength)]) },
        };
        var coseSigner = new CoseSigner(key, HashAlgorithmName.SHA256, protectedHeaders, unprotectedHeaders);
        return CoseSign1Message.SignDetached(claimCbor.ToArray(), coseSigner);
    }

    private static byte[] EncodeChain(ICredentialSigner signer)
    {
        var chain = signer.Chain;
        if (chain.Count == 0)
        {
            throw new ArgumentException("The signer has no certificate chain.", nameof(signer));
        }

        var writer = new CborWriter(CborConformanceMode.Canonical);
        if (chain.Count == 1)
        {
            writer.WriteByteString(chain[0].RawData);
        }
        else
        {
            writer.WriteStartArray(chain.Count);
            foreach (var certificate in chain)
            {
                writer.WriteByteString(certificate.RawData);
            }

            writer.WriteEndArray();
        }

        return writer.Encode();
    }
}
