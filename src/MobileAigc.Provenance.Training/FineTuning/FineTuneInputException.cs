namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// Fine-tuning input that cannot be used: examples that are empty, too short, mostly characters the base model does not
/// know, or too little text to hold any out; settings out of range; or an identity that is incomplete or names another
/// parent. The message says what is wrong, in words fit for the creator who sent it.
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
}
