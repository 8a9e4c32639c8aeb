namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// Fine-tuning input that cannot be used: texts that are empty, too short, mostly characters the base model does not
/// know, or too little to hold any out; pictures too few or too many, nearly flat as a whole, or one that is empty, not
/// PNG or JPEG, corrupt, too large or too small; settings out of range; or an identity that is incomplete or names
/// another parent. The message says what is wrong, in words fit for the creator who sent it, and which example when
/// one is at fault (<see cref="ExampleIndex"/>).
/// </summary>
public sealed class FineTuneInputException : Exception
{
    /// <summary>An exception with a message that says what is wrong.</summary>
    public FineTuneInputException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with a message and the error that revealed the problem.</summary>
    public FineTuneInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception about the example at <paramref name="exampleIndex"/> (0-based).</summary>
    public FineTuneInputException(int exampleIndex, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExampleIndex = exampleIndex;
    }

    /// <summary>The 0-based index of the example at fault; null when the error is about the examples as a whole.</summary>
    public int? ExampleIndex { get; }
}
