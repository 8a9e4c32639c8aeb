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
    /// <remarks>
    /// Nethereum's queries take no token, so <paramref name="cancellationToken"/> is checked before the
    /// call starts: a caller that runs several calls in a row stops between two of them.
    /// </remarks>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled before the call starts.</exception>
    public static async Task<T> CallAsync<T>(string contract, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>
    /// Sends a transaction and waits for its receipt; a revert, or a mined failure, throws.
    /// <paramref name="send"/> gets a source linked to <paramref name="cancellationToken"/> to hand to
    /// Nethereum's <c>*RequestAndWaitForReceiptAsync</c>, which stops polling for the receipt when it is
    /// cancelled (the transaction, once sent, may still be mined).
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled before the receipt arrives.</exception>
    public static async Task<TransactionReceipt> SendAsync(
        string contract, Func<CancellationTokenSource, Task<TransactionReceipt>> send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receipt = await CallAsync(contract, () => send(cancellation), cancellationToken);
        return receipt.Succeeded()
            ? receipt
            : throw new ContractRevertException(
                contract, $"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber.Value}", new InvalidOperationException());
    }
}
