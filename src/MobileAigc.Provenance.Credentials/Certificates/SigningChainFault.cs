namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>One reason a signing chain cannot sign C2PA claims for a provider.</summary>
/// <param name="Code">A stable code: <c>chain.empty</c>, <c>leaf.key</c>, <c>leaf.keyUsage</c>, <c>leaf.extendedKeyUsage</c>,
/// <c>leaf.anyExtendedKeyUsage</c>, <c>leaf.ca</c>, <c>validity</c>, <c>issuer</c>, <c>signature</c>, <c>issuer.notCa</c>, <c>issuer.pathLength</c>.</param>
/// <param name="Message">What is wrong, naming the certificate.</param>
public sealed record SigningChainFault(string Code, string Message);
