using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>The topic-0 of an event: what <c>eth_getLogs</c> filters on.</summary>
internal static class EventTopic
{
    /// <summary>The 0x-prefixed keccak-256 of the event's signature.</summary>
    public static string Of<TEvent>()
        where TEvent : IEventDTO, new() =>
        "0x" + EventExtensions.GetEventABI<TEvent>().Sha3Signature;
}
