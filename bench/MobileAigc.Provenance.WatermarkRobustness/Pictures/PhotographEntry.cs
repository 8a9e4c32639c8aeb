using System.Globalization;

namespace MobileAigc.Provenance.WatermarkRobustness.Pictures;

/// <summary>A row of <c>photographs.tsv</c>: a file of a Debian package, its SHA-256 and the scene it shows.</summary>
/// <param name="Package">The Debian package, unpacked by <c>scripts/fetch-benchmark-data.sh</c> into <c>debian/PACKAGE/</c> of the data cache.</param>
/// <param name="PathInPackage">The file's path inside the package, e.g. <c>usr/share/backgrounds/mate/nature/Aqua.jpg</c>.</param>
/// <param name="Sha256">The file's SHA-256, lower-case hex.</param>
/// <param name="Scene">A short description of the scene.</param>
public sealed record PhotographEntry(string Package, string PathInPackage, string Sha256, string Scene)
{
    /// <summary>
    /// The name the report uses: the file name, or for KDE's wallpapers (files named by their size, <c>2560x1600.jpg</c>)
    /// the wallpaper's folder.
    /// </summary>
    public string Name
    {
        get
        {
            var parts = PathInPackage.Split('/');
            var file = parts[^1];
            var stem = Path.GetFileNameWithoutExtension(file);
            var sized = stem.Split('x') is [var w, var h] && int.TryParse(w, CultureInfo.InvariantCulture, out _) && int.TryParse(h, CultureInfo.InvariantCulture, out _);
            return sized && parts.Length >= 4 ? parts[^4] : file;
        }
    }

    /// <summary>Reads the list: tab-separated <c>package path sha256 scene</c>, a header row, <c>#</c> comment lines.</summary>
    /// <exception cref="BenchmarkInputException">When the file is missing or a row is malformed (the message names the line).</exception>
    public static IReadOnlyList<PhotographEntry> ReadList(string path)
    {
        if (!File.Exists(path))
        {
            throw new BenchmarkInputException($"The photograph list {path} does not exist.");
        }

        var entries = new List<PhotographEntry>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("package\t", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 4 || fields[2].Length != 64 || !fields[2].All(char.IsAsciiHexDigitLower) || fields[1].Contains("..", StringComparison.Ordinal))
            {
                throw new BenchmarkInputException(
                    $"{path}, line {i + 1}: expected 'package<TAB>path<TAB>sha256 (64 lower-case hex digits)<TAB>scene' with a path inside the package.");
            }

            entries.Add(new PhotographEntry(fields[0], fields[1], fields[2], fields[3]));
        }

        return entries.Count > 0 ? entries : throw new BenchmarkInputException($"The photograph list {path} lists no photograph.");
    }
}
