namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Fine-tuning input that cannot be used: settings out of range; an identity that is incomplete, malformed or
/// names another parent; too few or too many example pictures, pictures too flat as a whole to keep the model's
/// texture (which the invisible watermark needs), or one picture that is empty, not PNG or JPEG, corrupt,
/// truncated, too large or too small. The message says what is wrong, and which picture (1-based, as the
/// creator numbers them) when one is at fault.
/// </summary>
public sealed class FineTuneInputException : Exception
{
    /// <summary>An error about the examples as a whole.</summary>
    public FineTuneInputException(string message)
        : base(message)
    {
    }

    /// <summary>An error about the picture at <paramref name="exampleIndex"/> (0-based).</summary>
    public FineTuneInputException(int exampleIndex, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExampleIndex = exampleIndex;
    }

    /// <summary>The 0-based index of the picture at fault; null when the error is about the examples as a whole.</summary>
    public int? ExampleIndex { get; }
}
