using System.Security.Cryptography;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.Credentials.Tests.Certificates;

public sealed class CertificatePemTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pem-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void WriteChain_ThenReadChain_KeepsTheCertificatesInOrder()
    {
        using var pki = new TestPki();

        var read = CertificatePem.ReadChain(CertificatePem.WriteChain(pki.Chain));

        Assert.Equal(pki.Chain.Select(c => c.RawData), read.Select(c => c.RawData));
    }

    [Fact]
    public async Task WritePrivateKey_IsOwnerOnly_AndReadsBackTheSameKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(_folder, "keys", "signing.key.pem");

        await CertificatePem.WritePrivateKeyAsync(path, key);
        using var read = await CertificatePem.ReadPrivateKeyFileAsync(path);

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), read.ExportSubjectPublicKeyInfo());
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        await Assert.ThrowsAsync<IOException>(() => CertificatePem.WritePrivateKeyAsync(path, key));
    }

    [Fact]
    public void ReadPrivateKey_AnRsaKeyOrNoKey_IsAFormatException()
    {
        using var rsa = RSA.Create(2048);

        Assert.Throws<FormatException>(() => CertificatePem.ReadPrivateKey(rsa.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<FormatException>(() => CertificatePem.ReadPrivateKey("not a key"));
    }

    [Fact]
    public void ReadChain_NoCertificate_ABrokenOne_OrTooMany_IsAFormatException()
    {
        using var pki = new TestPki();

        Assert.Throws<FormatException>(() => CertificatePem.ReadChain("nothing here"));
        Assert.Throws<FormatException>(() => CertificatePem.ReadChain("-----BEGIN CERTIFICATE-----\nAAECAw==\n-----END CERTIFICATE-----\n"));
        Assert.Throws<FormatException>(() => CertificatePem.ReadChain(CertificatePem.WriteChain(Enumerable.Repeat(pki.Leaf, CertificatePem.MaxChainLength + 1))));
    }

    [Fact]
    public async Task ReadChainFile_AMissingOrOversizeFile_IsRefused()
    {
        Directory.CreateDirectory(_folder);
        var big = Path.Combine(_folder, "big.pem");
        await File.WriteAllBytesAsync(big, new byte[CertificatePem.MaxFileBytes + 1]);

        await Assert.ThrowsAsync<FileNotFoundException>(() => CertificatePem.ReadChainFileAsync(Path.Combine(_folder, "missing.pem")));
        await Assert.ThrowsAsync<FormatException>(() => CertificatePem.ReadChainFileAsync(big));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
