using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Ledger.Anchoring;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

public sealed class AnchoringOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndDocumented()
    {
        var options = new AnchoringOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(1_024, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxBatchAge);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.True(options.Enabled);
    }

    [Theory]
    [InlineData(0, 10_000, 15_000, "BatchSize")]
    [InlineData(65_537, 10_000, 15_000, "BatchSize")]
    [InlineData(1_024, 50, 15_000, "MaxBatchAge")]
    [InlineData(1_024, 10_000, 500, "LeaseDuration")]
    public void Validate_OutOfRange_NamesTheSetting(int batchSize, int maxAgeMs, int leaseMs, string setting)
    {
        var options = new AnchoringOptions
        {
            BatchSize = batchSize,
            MaxBatchAge = TimeSpan.FromMilliseconds(maxAgeMs),
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
        };

        var result = Assert.Single(Validate(options));
        Assert.Contains(setting, result.MemberNames);
    }

    private static List<ValidationResult> Validate(AnchoringOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
