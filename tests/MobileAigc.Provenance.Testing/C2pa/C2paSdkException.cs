namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// The official SDK's harness refused a request (the SDK would not sign, a request was malformed) or its Node process
/// failed; the message holds the SDK's error and, when the process ended, what it wrote to stderr.
/// </summary>
public sealed class C2paSdkException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public C2paSdkException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public C2paSdkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public C2paSdkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
