using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MobileAigc.Provenance.TextWatermarkBenchmark;

/// <summary>A body of human-written documents on this machine.</summary>
/// <param name="Name">A short label for the report.</param>
/// <param name="Description">Where the documents come from.</param>
/// <param name="Files">The files, in a fixed order.</param>
/// <param name="Read">Turns a file into plain text (null: not text).</param>
/// <param name="OneBody">True when the files are one work (the KJV): the per-document cap does not apply.</param>
internal sealed record HumanSource(string Name, string Description, IReadOnlyList<string> Files, Func<string, string?> Read, bool OneBody = false);

/// <summary>
/// Human-written text that needs no download: Debian's package documentation (<c>/usr/share/doc</c>:
/// copyright notices, changelogs, READMEs, NEWS), its English man pages (<c>/usr/share/man/man1..8</c>,
/// troff requests and escapes stripped) and the KJV corpus the project extracts from Debian's
/// <c>bible-kjv-text</c> (<c>models/corpus/kjv.txt</c>), cut into passages of chosen lengths.
/// </summary>
internal static partial class HumanCorpus
{
    /// <summary>The three sources, each with its files in ordinal order so that a run is repeatable; the smallest first, so that the larger make up its shortfall.</summary>
    public static IReadOnlyList<HumanSource> Sources(string repositoryRoot) =>
    [
        new("kjv", "models/corpus/kjv.txt: the KJV text from Debian's bible-kjv-text (scripts/build-models.sh corpus)", [Path.Combine(repositoryRoot, "models", "corpus", "kjv.txt")], ReadPlain, OneBody: true),
        new("debian-doc", "/usr/share/doc: copyright, changelog*, NEWS*, README* of every installed package", Files("/usr/share/doc", IsPackageDocument), ReadPlain),
        new("man", "/usr/share/man/man1..8: English man pages, troff stripped", Files("/usr/share/man", IsEnglishManPage), ReadManPage),
    ];

    /// <summary>
    /// Consecutive passages of <paramref name="source"/>'s documents, their lengths in characters cycling
    /// through <paramref name="lengths"/>; at most <paramref name="perDocument"/> from one document so that
    /// no single long changelog dominates (except in a <see cref="HumanSource.OneBody"/> source). Passages already seen (<paramref name="seen"/>: licence texts
    /// repeat across packages) and passages less than half letters (tables, hex dumps) are skipped.
    /// </summary>
    public static IEnumerable<string> Passages(HumanSource source, IReadOnlyList<int> lengths, int perDocument, HashSet<UInt128> seen)
    {
        var next = 0;
        foreach (var file in source.Files)
        {
            string? text;
            try
            {
                text = source.Read(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                continue;
            }

            if (text is null)
            {
                continue;
            }

            var taken = 0;
            for (var start = 0; taken < perDocument || source.OneBody;)
            {
                var length = lengths[next % lengths.Count];
                if (start + length > text.Length)
                {
                    break;
                }

                var passage = text.Substring(start, length);
                start += length;
                next++;
                if (passage.Count(char.IsLetter) * 2 < passage.Length || !seen.Add(Fingerprint(passage)))
                {
                    continue;
                }

                taken++;
                yield return passage;
            }
        }
    }

    private static UInt128 Fingerprint(string passage)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(passage), digest);
        return new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
    }

    private static List<string> Files(string root, Func<string, bool> wanted) =>
        Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(wanted)
                .Order(StringComparer.Ordinal)]
            : [];

    private static bool IsPackageDocument(string path)
    {
        var name = Path.GetFileName(path);
        return name == "copyright"
            || name.StartsWith("changelog", StringComparison.Ordinal)
            || name.StartsWith("NEWS", StringComparison.Ordinal)
            || name.StartsWith("README", StringComparison.Ordinal);
    }

    private static bool IsEnglishManPage(string path) =>
        ManSection().IsMatch(Path.GetDirectoryName(path) ?? "") && path.EndsWith(".gz", StringComparison.Ordinal);

    /// <summary>The file's text, gunzipped when it ends in .gz; null when it holds a NUL byte (not text).</summary>
    private static string? ReadPlain(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        return text.Contains('\0', StringComparison.Ordinal) ? null : text;
    }

    /// <summary>
    /// A man page's words: request lines dropped except the text arguments of the font and heading
    /// macros, escapes removed; a page that only sources another (<c>.so</c>) is not text.
    /// </summary>
    private static string? ReadManPage(string path)
    {
        if (ReadPlain(path) is not { } troff || troff.StartsWith(".so ", StringComparison.Ordinal))
        {
            return null;
        }

        var text = new StringBuilder(troff.Length);
        foreach (var line in troff.Split('\n'))
        {
            if (line.StartsWith('.') || line.StartsWith('\''))
            {
                var macro = MacroWithText().Match(line);
                if (macro.Success)
                {
                    text.Append(macro.Groups["text"].Value.Replace("\"", "", StringComparison.Ordinal)).Append('\n');
                }

                continue;
            }

            text.Append(line).Append('\n');
        }

        return TroffEscape().Replace(text.ToString().Replace("\\-", "-", StringComparison.Ordinal), "");
    }

    [GeneratedRegex(@"/man[1-8]$")]
    private static partial Regex ManSection();

    [GeneratedRegex(@"^\.(SH|SS|B|I|BR|BI|IB|IR|RB|RI|SB|SM|IP|TP|Nm|Nd|Ar|Fl|Sh|Pa)\s+(?<text>.*)$")]
    private static partial Regex MacroWithText();

    [GeneratedRegex(@"\\(f(\[[^\]]*\]|\(..|.)|\*(\[[^\]]*\]|\(..|.)|s[-+]?\d+|\(..|\[[^\]]*\]|.)")]
    private static partial Regex TroffEscape();
}
