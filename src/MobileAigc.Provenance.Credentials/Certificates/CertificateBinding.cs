using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// The node key's signed statement that one C2PA signing certificate speaks for it
/// (<see cref="CredentialSigningKeyTypedData"/>, in the <c>ModelRegistry</c> domain named in
/// <see cref="Domain"/>). With it, a reader of a manifest signed by the certificate knows which node
/// made it without a chain call; whether that node is registered and serving is still the chain's to say.
/// </summary>
/// <param name="Signed">The statement (node, certificate hash) and the node key's signature.</param>
/// <param name="Domain">The registry domain it was signed in.</param>
public sealed record CertificateBinding(SignedCredentialSigningKey Signed, ContractDomain Domain)
{
    private const int MaxJsonBytes = 4096;

    /// <summary>The node the binding claims.</summary>
    public EvmAddress Node => Signed.Statement.Node;

    /// <summary>The certificate hash a binding names: SHA-256 of the certificate's DER encoding.</summary>
    public static Bytes32 HashOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Bytes32.Sha256(certificate.RawData);
    }

    /// <summary>Binds <paramref name="leaf"/> to the node of <paramref name="nodeKey"/> in <paramref name="registryDomain"/>.</summary>
    public static CertificateBinding Sign(X509Certificate2 leaf, EthECKey nodeKey, ContractDomain registryDomain)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(registryDomain);
        var statement = new CredentialSigningKey(EvmAddress.Parse(nodeKey.GetPublicAddress()), HashOf(leaf));
        return new CertificateBinding(CredentialSigningKeyTypedData.Sign(statement, registryDomain, nodeKey), registryDomain);
    }

    /// <summary>
    /// The node <paramref name="leaf"/> speaks for, when this binding was signed by that node's key for this very
    /// certificate in <paramref name="expectedDomain"/>, and the certificate names no other node.
    /// </summary>
    /// <exception cref="InvalidCertificateBindingException">When any of that fails; the message says which.</exception>
    public EvmAddress Verify(X509Certificate2 leaf, ContractDomain expectedDomain)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(expectedDomain);
        if (Domain != expectedDomain)
        {
            throw new InvalidCertificateBindingException(
                $"The binding was signed for registry {Domain.VerifyingContract} on chain {Domain.ChainId} ({Domain.Name} {Domain.Version}), " +
                $"not registry {expectedDomain.VerifyingContract} on chain {expectedDomain.ChainId}.");
        }

        var hash = HashOf(leaf);
        if (hash != Signed.Statement.CertificateHash)
        {
            throw new InvalidCertificateBindingException($"The binding names certificate {Signed.Statement.CertificateHash}, not this one ({hash}).");
        }

        EvmAddress signer;
        try
        {
            signer = CredentialSigningKeyTypedData.RecoverSigner(Signed.Statement, expectedDomain, Signed.Signature);
        }
        catch (Exception e) when (e is ArgumentException or InvalidSignatureException)
        {
            // r is not the x of a curve point (or not below the order): the signature recovers to no key.
            throw new InvalidCertificateBindingException($"The binding's signature recovers to no key: {e.Message}");
        }

        if (signer != Node)
        {
            throw new InvalidCertificateBindingException($"The binding claims node {Node} but is signed by {signer}.");
        }

        if (NodeCertificateNames.NodeOf(leaf) is { } named && named != Node)
        {
            throw new InvalidCertificateBindingException($"The certificate names node {named}, but the binding is signed by node {Node}.");
        }

        return Node;
    }

    /// <summary>The binding as JSON (UTF-8): node, certificate hash, signature and the domain's four fields.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(new BindingJson(
        Node.ToString(), Signed.Statement.CertificateHash.ToString(), Signed.Signature.ToString(),
        Domain.Name, Domain.Version, Domain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), Domain.VerifyingContract.ToString()),
        BindingJsonContext.Default.BindingJson);

    /// <summary>Reads a binding written by <see cref="ToJsonBytes"/>; checks the form only (see <see cref="Verify"/>).</summary>
    /// <exception cref="InvalidCertificateBindingException">When the JSON is not a binding.</exception>
    public static CertificateBinding Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxJsonBytes)
        {
            throw new InvalidCertificateBindingException($"A binding has at most {MaxJsonBytes} bytes; got {json.Length}.");
        }

        try
        {
            var read = JsonSerializer.Deserialize(json, BindingJsonContext.Default.BindingJson)
                ?? throw new InvalidCertificateBindingException("The binding is JSON null.");
            var domain = new ContractDomain(read.Name, read.Version,
                BigInteger.Parse(read.ChainId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture),
                EvmAddress.Parse(read.VerifyingContract));
            var statement = new CredentialSigningKey(EvmAddress.Parse(read.Node), Bytes32.Parse(read.CertificateHash));
            return new CertificateBinding(new SignedCredentialSigningKey(statement, EcdsaSignature.Parse(read.Signature)), domain);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidSignatureException)
        {
            throw new InvalidCertificateBindingException($"The binding does not parse: {e.Message}");
        }
    }
}
