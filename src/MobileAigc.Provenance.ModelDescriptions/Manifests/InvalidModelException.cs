namespace MobileAigc.Provenance.ModelDescriptions.Manifests;

/// <summary>
/// A model file or manifest that cannot be used: not an ONNX graph ONNX Runtime accepts, a file whose
/// hash differs from the one its manifest pins, or a graph without the signature a generator needs.
/// A missing file is a <see cref="FileNotFoundException"/> instead.
/// </summary>
public sealed class InvalidModelException : Exception
{
    /// <summary>An exception with a message that says what is wrong.</summary>
    public InvalidModelException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with a message and the error that revealed the problem.</summary>
    public InvalidModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
