using System.Globalization;
using System.Numerics;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>Amounts in ETH for people to read.</summary>
internal static class Ether
{
    /// <summary>Wei per ETH.</summary>
    public static readonly BigInteger Wei = BigInteger.Pow(10, 18);

    /// <summary><paramref name="wei"/> in ETH, up to six decimals.</summary>
    public static string Format(BigInteger wei) => ((decimal)wei / (decimal)Wei).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A decimal wei amount as the ledger writes it, in ETH.</summary>
    public static string Format(string wei) => Format(BigInteger.Parse(wei, CultureInfo.InvariantCulture));
}
