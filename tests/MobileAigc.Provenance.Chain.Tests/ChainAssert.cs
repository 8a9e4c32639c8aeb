using MobileAigc.Provenance.Chain.Errors;

namespace MobileAigc.Provenance.Chain.Tests;

internal static class ChainAssert
{
    /// <summary>Asserts the call reverts with the custom error <typeparamref name="TError"/> and returns it.</summary>
    public static async Task<TError> RevertsWithAsync<TError>(Func<Task> call)
        where TError : class
    {
        var revert = await Assert.ThrowsAsync<ContractRevertException>(call);
        return revert.ErrorAs<TError>()
            ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(TError).Name}, got: {revert.Message}");
    }
}
