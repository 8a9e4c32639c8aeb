using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Payments;
using Nethereum.Web3;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

public sealed class PaymentOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Validate_Defaults_PassWithPaymentsOff()
    {
        var options = new PaymentOptions();

        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData(null, "0x5FbDB2315678afecb367f032d93F642f64180aa3", "00:15:00", "01:00:00", "00:00:30", "1", "PaymentChannels")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x1234", "00:15:00", "01:00:00", "00:00:30", "1", "ModelRegistry")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "02:00:00", "01:00:00", "00:00:30", "1", "SettleBeforeExpiry")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "00:00:30", "01:00:00", "00:00:30", "1", "ExpiryMargin")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "00:15:00", "01:00:00", "00:00:30", "0", "SettlementThreshold")]
    public void Validate_InconsistentOptions_NameTheOption(
        string? channels, string registry, string margin, string settleBefore, string poll, string threshold, string named)
    {
        var options = new PaymentOptions
        {
            RpcUrl = new Uri("http://127.0.0.1:8545"),
            PaymentChannels = channels,
            ModelRegistry = registry,
            ExpiryMargin = TimeSpan.Parse(margin, System.Globalization.CultureInfo.InvariantCulture),
            SettleBeforeExpiry = TimeSpan.Parse(settleBefore, System.Globalization.CultureInfo.InvariantCulture),
            SettlementPollInterval = TimeSpan.Parse(poll, System.Globalization.CultureInfo.InvariantCulture),
            SettlementThreshold = threshold,
        };

        var error = Assert.Throws<ValidationException>(() => Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptedTokenPrices_Default_IsTheNativeCurrencyAtTheChannelsPrice() =>
        Assert.Equal(new Dictionary<EvmAddress, System.Numerics.BigInteger?> { [EvmAddress.Zero] = null }, new PaymentOptions().AcceptedTokenPrices);

    [Theory]
    [InlineData("0x1234", "5", "Token must be")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", null, "Price is required")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "0", "Price must be")]
    [InlineData("0x5FbDB2315678afecb367f032d93F642f64180aa3", "-3", "Price must be")]
    public void Validate_BadAcceptedToken_NamesTheEntry(string token, string? price, string message)
    {
        var options = new PaymentOptions { AcceptedTokens = [new AcceptedTokenOption { Token = token, Price = price }] };

        var error = Assert.Throws<ValidationException>(() => Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true));

        Assert.Contains("Payments:AcceptedTokens:0", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_ChainUnreachable_Is503AndStoresNothing()
    {
        var options = new PaymentOptions();
        var web3 = new Web3("http://127.0.0.1:1");
        var contract = EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var channels = new PaymentChannelsClient(web3, contract, 31337);
        var chain = new PaymentChainReader(channels, new ModelRegistryClient(web3, contract), options, TimeProvider.System);
        using var database = PaymentsDatabase.Open(_dir.File("payments.db"), contract);
        var vouchers = new VoucherBook(database);
        var gate = new PaymentGate(contract, null, channels.Domain, chain, vouchers, options, TimeProvider.System);

        var decision = await gate.DecideAsync(PaymentChainFixture.RandomChannelId(), payment: null);

        Assert.Equal((PaymentProblemTypes.ChainUnavailable, 503), (decision.Refusal!.Type, decision.Refusal.Status));
        Assert.Equal(0, vouchers.AcceptedCount());
    }

    public void Dispose() => _dir.Dispose();
}
