using System.Security.Cryptography;

namespace MobileAigc.Provenance.Credentials.Signing;

/// <summary>
/// Presents an <see cref="ICredentialSigner"/> as the <see cref="ECDsa"/> that
/// <see cref="System.Security.Cryptography.Cose.CoseSigner"/> wants: COSE hashes the
/// <c>Sig_structure</c> and asks for a signature over that hash, which is what the signer gives.
/// </summary>
internal sealed class SignerBackedEcdsa : ECDsa
{
    private readonly ICredentialSigner _signer;

    public SignerBackedEcdsa(ICredentialSigner signer)
    {
        _signer = signer;
        KeySizeValue = 256;
        LegalKeySizesValue = [new KeySizes(256, 256, 0)];
    }

    public override byte[] SignHash(byte[] hash)
    {
        var signature = _signer.SignHash(hash);
        if (signature.Length != 64)
        {
            throw new CryptographicException(
                $"The credential signer returned {signature.Length} bytes; ES256 signatures are 64 bytes (r||s).");
        }

        return signature;
    }

    public override bool VerifyHash(byte[] hash, byte[] signature) =>
        throw new NotSupportedException("A signer-backed key only signs; verify with the certificate's public key.");
}
