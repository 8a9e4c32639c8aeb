namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>The third-party C2PA files in tests/fixtures/c2pa-rs, found by walking up to the repository root.</summary>
internal static class Fixtures
{
    public static byte[] C2paRs(string name) => File.ReadAllBytes(Path.Combine(C2paRsFolder(), name));

    private static string C2paRsFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "fixtures", "c2pa-rs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/c2pa-rs not found above " + AppContext.BaseDirectory);
    }
}
