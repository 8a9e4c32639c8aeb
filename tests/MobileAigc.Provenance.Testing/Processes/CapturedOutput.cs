using System.Text;

namespace MobileAigc.Provenance.Testing.Processes;

/// <summary>
/// The lines a child process writes to stdout and stderr, kept in memory or appended to a file. Thread-safe: both
/// streams append from their own threads. Lines arriving after <see cref="Dispose"/> are dropped.
/// </summary>
internal sealed class CapturedOutput : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StringBuilder? _memory;
    private readonly StreamWriter? _file;
    private readonly string? _path;
    private bool _closed;

    /// <summary>Keeps the output in memory, or in <paramref name="path"/> when given (created or emptied).</summary>
    public CapturedOutput(string? path)
    {
        _path = path;
        if (path is null)
        {
            _memory = new StringBuilder();
        }
        else
        {
            _file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (_memory is not null)
            {
                _memory.AppendLine(line);
            }
            else
            {
                _file!.WriteLine(line);
            }
        }
    }

    /// <summary>Everything captured so far.</summary>
    public string Text()
    {
        lock (_lock)
        {
            if (_memory is not null)
            {
                return _memory.ToString();
            }
        }

        using var reader = new StreamReader(new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _file?.Dispose();
        }
    }
}
