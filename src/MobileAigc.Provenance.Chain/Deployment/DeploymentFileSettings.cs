using System.Globalization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Chain.Deployment;

/// <summary>
/// A host's settings reconciled with the deployment file one of its settings names: each value the file holds is
/// taken from the file, and a value also set explicitly must agree with it. What does not hold is collected in
/// <see cref="Failures"/> (each message names the setting, both values and the file) for the host to refuse to
/// start with; nothing here throws for a bad file or a disagreement.
/// </summary>
public sealed class DeploymentFileSettings
{
    private readonly List<string> _failures = [];
    private readonly string _fileSetting;
    private readonly string _path;

    private DeploymentFileSettings(string fileSetting, string path)
    {
        _fileSetting = fileSetting;
        _path = path;
    }

    /// <summary>The file's deployment; <c>null</c> when it could not be read (then <see cref="Failures"/> says why).</summary>
    public DeploymentFile? File { get; private set; }

    /// <summary>Why the file cannot be used, and every explicit setting that disagrees with it; empty when all holds.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>
    /// Reads the deployment file at <paramref name="path"/>, named by the setting <paramref name="fileSetting"/>
    /// (for messages, e.g. <c>Ledger:Chain:DeploymentFile</c>). A missing, unreadable or malformed file, or one
    /// of another version, leaves <see cref="File"/> null and says why, with the full path, in <see cref="Failures"/>.
    /// </summary>
    public static DeploymentFileSettings Read(string fileSetting, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileSetting);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var settings = new DeploymentFileSettings(fileSetting, Path.GetFullPath(path));
        try
        {
            settings.File = DeploymentFile.Read(settings._path);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            settings._failures.Add($"{fileSetting} '{settings._path}' cannot be used: {e.Message}");
        }

        return settings;
    }

    /// <summary>
    /// The file's <paramref name="fromFile"/> for the number setting <paramref name="setting"/>, whose explicitly
    /// configured text is <paramref name="configured"/> (<c>null</c> or empty when not set); a configured value that
    /// is not the same number is recorded as a failure.
    /// </summary>
    public long Agreed(string setting, string? configured, long fromFile)
    {
        if (!string.IsNullOrWhiteSpace(configured)
            && !(long.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value == fromFile))
        {
            Disagrees(setting, configured, fromFile.ToString(CultureInfo.InvariantCulture));
        }

        return fromFile;
    }

    /// <summary>
    /// The file's <paramref name="fromFile"/> (checksummed text) for the address setting <paramref name="setting"/>,
    /// whose explicitly configured text is <paramref name="configured"/> (<c>null</c> or empty when not set); a
    /// configured value that is not the same address, in any letter case, is recorded as a failure.
    /// </summary>
    public string Agreed(string setting, string? configured, EvmAddress fromFile)
    {
        if (!string.IsNullOrWhiteSpace(configured) && !(EvmAddress.TryParse(configured.Trim(), out var value) && value == fromFile))
        {
            Disagrees(setting, configured, fromFile.ToString());
        }

        return fromFile.ToString();
    }

    private void Disagrees(string setting, string configured, string fromFile) => _failures.Add(
        $"{setting} is set to '{configured}' but the deployment file '{_path}' ({_fileSetting}) says '{fromFile}': "
        + $"remove {setting} or make it agree with the file.");
}
