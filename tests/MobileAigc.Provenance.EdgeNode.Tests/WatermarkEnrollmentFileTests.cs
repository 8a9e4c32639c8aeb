using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class WatermarkEnrollmentFileTests : IDisposable
{
    private static readonly ContractDomain Ledger = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(EdgeNodeHost.LedgerContract));
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly NodeSecrets _secrets = new(EthECKey.GenerateKey(), WatermarkKey.Generate());

    public void Dispose() => _dir.Dispose();

    private string Path => _dir.File("watermark-enrollment.json");

    [Fact]
    public async Task Ensure_FirstStart_WritesAnOwnerOnlyEnrollmentTheLedgerAccepts()
    {
        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path));
        var enrolled = EnrolledWatermarkKey.Parse(await File.ReadAllBytesAsync(Path));
        Assert.Equal(EvmAddress.Parse(_secrets.SigningKey.GetPublicAddress()), enrolled.VerifyFor(Ledger));
        Assert.Equal(_secrets.WatermarkKey.ToHex(), enrolled.Key.ToHex());
        Assert.Equal((ulong)Start.ToUnixTimeSeconds(), enrolled.Enrollment.EnrolledAt);
    }

    [Fact]
    public async Task Ensure_LaterStartWithTheSameKeys_KeepsTheFirstEnrollment()
    {
        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start));
        var first = await File.ReadAllBytesAsync(Path);

        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start.AddDays(3)));

        Assert.Equal(first, await File.ReadAllBytesAsync(Path));
    }

    [Fact]
    public async Task Ensure_RotatedWatermarkKey_EnrollsTheNewKey()
    {
        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start));
        var rotated = _secrets with { WatermarkKey = WatermarkKey.Generate() };

        var enrolled = await WatermarkEnrollmentFile.EnsureAsync(Path, rotated, Ledger, new FakeTimeProvider(Start.AddDays(1)));

        Assert.Equal(WatermarkIds.ForEnrollment(rotated.WatermarkKey), EnrolledWatermarkKey.Parse(await File.ReadAllBytesAsync(Path)).Enrollment.KeyId);
        Assert.Equal((ulong)Start.AddDays(1).ToUnixTimeSeconds(), enrolled.Enrollment.EnrolledAt);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path));
    }

    [Fact]
    public async Task Ensure_FileForAnotherDeploymentOrDamaged_IsReplacedByOneForThisLedger()
    {
        var other = ContractDomain.ForProvenanceLedger(1, EvmAddress.Parse(EdgeNodeHost.LedgerContract));
        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, other, new FakeTimeProvider(Start));

        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start));
        Assert.Equal(EvmAddress.Parse(_secrets.SigningKey.GetPublicAddress()), EnrolledWatermarkKey.Parse(await File.ReadAllBytesAsync(Path)).VerifyFor(Ledger));

        await File.WriteAllTextAsync(Path, "{ not json");
        await WatermarkEnrollmentFile.EnsureAsync(Path, _secrets, Ledger, new FakeTimeProvider(Start));
        Assert.Equal(EvmAddress.Parse(_secrets.SigningKey.GetPublicAddress()), EnrolledWatermarkKey.Parse(await File.ReadAllBytesAsync(Path)).VerifyFor(Ledger));
    }
}
