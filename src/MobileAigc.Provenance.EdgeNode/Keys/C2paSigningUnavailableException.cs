namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// The node cannot sign Content Credentials now: its C2PA signing certificate has expired (a provider's, which the node
/// never renews, or a development one whose renewal failed), or the signer failed. The message says which and what to do;
/// a request that meets it generates nothing and is charged nothing.
/// </summary>
public sealed class C2paSigningUnavailableException : InvalidOperationException
{
    /// <summary>An exception with <paramref name="message"/>.</summary>
    public C2paSigningUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public C2paSigningUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception with a generic message.</summary>
    public C2paSigningUnavailableException()
        : base("The node cannot sign Content Credentials now.")
    {
    }
}
