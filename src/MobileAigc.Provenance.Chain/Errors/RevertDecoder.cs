using System.Reflection;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Chain.Errors;

/// <summary>
/// Runs a call against one contract and turns its reverts into <see cref="ContractRevertException"/>
/// carrying the decoded custom error. The known errors are every generated <c>[Error]</c> type
/// of this assembly, so a new custom error needs nothing but regenerated bindings.
/// </summary>
public static class RevertDecoder
{
    private static readonly Type[] KnownErrors = typeof(RevertDecoder).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttribute<ErrorAttribute>(inherit: true) is not null)
        .Where(t => t.Name.EndsWith("Error", StringComparison.Ordinal)) // the partial leaf, not its *ErrorBase
        .ToArray();

    /// <summary>Runs a query or a transaction; a revert becomes a <see cref="ContractRevertException"/>.</summary>
    public static async Task<T> CallAsync<T>(string contract, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (SmartContractCustomErrorRevertException e)
        {
            // The same error can be declared by several contracts (an error bubbling up from the
            // registry, say): prefer the calling contract's own generated type.
            var error = KnownErrors
                .OrderByDescending(t => t.Namespace!.EndsWith($".{contract}.ContractDefinition", StringComparison.Ordinal))
                .FirstOrDefault(e.IsCustomErrorFor);
            throw error is null
                ? new ContractRevertException(contract, $"unknown custom error {e.ExceptionEncodedData}", e)
                : new ContractRevertException(contract, e.DecodeError(error), e);
        }
        catch (SmartContractRevertException e)
        {
            throw new ContractRevertException(contract, e.RevertMessage ?? e.Message, e);
        }
    }

    /// <summary>Sends a transaction and waits for its receipt; a revert, or a mined failure, throws.</summary>
    public static async Task<TransactionReceipt> SendAsync(string contract, Func<Task<TransactionReceipt>> send)
    {
        var receipt = await CallAsync(contract, send);
        return receipt.Succeeded()
            ? receipt
            : throw new ContractRevertException(
                contract, $"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber.Value}", new InvalidOperationException());
    }
}
