using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary>Parsers of the credentials commands' values, each failure naming the option.</summary>
internal static class CredentialArguments
{
    public static TimeSpan Days(string option, int days) =>
        days is >= 1 and <= 36500 ? TimeSpan.FromDays(days) : throw new ArgumentException($"{option} must be from 1 to 36500 days; got {days}.");

    /// <summary>The <c>ModelRegistry</c> domain a binding is signed or checked in.</summary>
    public static ContractDomain Registry(string? registry, long chainId)
    {
        if (registry is null)
        {
            throw new ArgumentException("--registry (the ModelRegistry address) is needed to sign or check a binding: the binding holds in one registry on one chain.");
        }

        if (chainId < 1)
        {
            throw new ArgumentException($"--chain-id must be positive; got {chainId}.");
        }

        return EvmAddress.TryParse(registry, out var address)
            ? ContractDomain.ForModelRegistry(new BigInteger(chainId), address)
            : throw new ArgumentException($"--registry must be an address (0x followed by 40 hex digits); got '{registry}'.");
    }
}
