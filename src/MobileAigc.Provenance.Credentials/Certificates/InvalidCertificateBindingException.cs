namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>A certificate binding that does not bind this certificate to its node under the expected registry; the message says why.</summary>
/// <param name="message">What is wrong.</param>
public sealed class InvalidCertificateBindingException(string message) : Exception(message);
