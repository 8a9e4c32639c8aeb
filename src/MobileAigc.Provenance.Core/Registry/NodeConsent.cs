using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Registry;

/// <summary>
/// A node key's consent to be registered in <c>ModelRegistry</c> by <paramref name="Operator"/>: what
/// the key signs (EIP-712, under the registry's domain, so chain and contract are named too) before
/// anyone can make it a node. The registry binds the key to its first operator for ever.
/// </summary>
/// <param name="Node">The node key's address.</param>
/// <param name="Operator">The only account that may use the consent.</param>
/// <param name="Nonce">The key's current consent nonce in the registry: a consent is used once.</param>
/// <param name="Deadline">Last block timestamp (Unix seconds) at which the consent may be used.</param>
public sealed record NodeConsent(EvmAddress Node, EvmAddress Operator, BigInteger Nonce, BigInteger Deadline);

/// <summary>A <see cref="NodeConsent"/> with the node key's signature over it.</summary>
/// <param name="Consent">The consent.</param>
/// <param name="Signature">The node key's 65-byte signature of <see cref="NodeConsentTypedData.Digest"/>.</param>
public sealed record SignedNodeConsent(NodeConsent Consent, EcdsaSignature Signature);
