namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// Bounds the JUMBF reader applies so that hostile input costs bounded time and memory.
/// </summary>
/// <param name="MaxDepth">Deepest superbox nesting accepted (default 16; a C2PA store needs 5).</param>
/// <param name="MaxBoxes">Most boxes in one structure (default 10 000).</param>
/// <param name="MaxTotalBytes">Largest structure accepted, in bytes (default 64 MiB).</param>
public readonly record struct JumbfLimits(int MaxDepth, int MaxBoxes, long MaxTotalBytes)
{
    /// <summary>Depth 16, 10 000 boxes, 64 MiB.</summary>
    public static JumbfLimits Default { get; } = new(16, 10_000, 64L * 1024 * 1024);
}
