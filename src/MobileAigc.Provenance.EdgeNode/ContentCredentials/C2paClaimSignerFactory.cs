using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.EdgeNode.Keys;

namespace MobileAigc.Provenance.EdgeNode.ContentCredentials;

/// <summary>
/// Makes the signer of C2PA claims for the node's current signing identity. The default,
/// <see cref="ImageCredentialWriter.OwnKey"/>, signs with the identity's own P-256 key; a provider whose key lives in a key
/// store or HSM supplies another (and so can a test, to make signing fail).
/// </summary>
/// <param name="identity">The identity in use: called again after each renewal.</param>
public delegate ICredentialSigner C2paClaimSignerFactory(C2paSigningIdentity identity);
