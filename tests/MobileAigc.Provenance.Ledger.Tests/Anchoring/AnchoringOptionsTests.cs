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
        Assert.Equal(65_536, options.BatchSize);
        Assert.Equal(8, options.MaxInFlight);
        Assert.Equal(300_000, options.GasLimit);
        Assert.Equal(TimeSpan.FromSeconds(45), options.ReplaceAfter);
        Assert.Equal(25, options.FeeBumpPercent);
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

    [Theory]
    [InlineData(0, 45, 25, "MaxInFlight")]
    [InlineData(65, 45, 25, "MaxInFlight")]
    [InlineData(8, 0, 25, "ReplaceAfter")]
    [InlineData(8, 45, 9, "FeeBumpPercent")]
    public void Validate_InFlightAndReplacementOutOfRange_NamesTheSetting(int maxInFlight, int replaceAfterSeconds, int feeBump, string setting)
    {
        var options = new AnchoringOptions
        {
            MaxInFlight = maxInFlight,
            ReplaceAfter = TimeSpan.FromSeconds(replaceAfterSeconds),
            FeeBumpPercent = feeBump,
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
