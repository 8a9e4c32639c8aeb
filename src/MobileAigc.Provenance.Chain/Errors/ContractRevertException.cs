using System.Reflection;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace MobileAigc.Provenance.Chain.Errors;

/// <summary>
/// A contract call or transaction that the contract refused. <see cref="Error"/> is the decoded
/// Solidity custom error with its values as a generated <c>*Error</c> type; callers match it by
/// type (<c>e.Error is ChannelNotFoundError</c>, <see cref="ErrorAs{TError}"/>), never by name.
/// The message names the error and its values.
/// </summary>
public sealed class ContractRevertException : Exception
{
    /// <summary>Creates the exception for a decoded custom error.</summary>
    public ContractRevertException(string contract, object error, Exception innerException)
        : base($"{contract} reverted with {Describe(error)}", innerException)
    {
        Contract = contract;
        Error = error;
    }

    /// <summary>Creates the exception for a revert that is not a known custom error (a reason string or a panic).</summary>
    public ContractRevertException(string contract, string reason, Exception innerException)
        : base($"{contract} reverted: {reason}", innerException)
    {
        Contract = contract;
    }

    /// <summary>The contract that reverted, by name.</summary>
    public string Contract { get; }

    /// <summary>The decoded custom error (a generated <c>*Error</c> type), or null for other reverts.</summary>
    public object? Error { get; }

    /// <summary>The decoded error as <typeparamref name="TError"/>, or null when it is another error.</summary>
    public TError? ErrorAs<TError>()
        where TError : class => Error as TError;

    private static string Describe(object error)
    {
        var name = ErrorAttribute.GetAttribute(error.GetType())?.Name ?? error.GetType().Name;
        var values = error.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Parameter: p.GetCustomAttribute<ParameterAttribute>()))
            .Where(p => p.Parameter is not null)
            .OrderBy(p => p.Parameter!.Order)
            .Select(p => $"{p.Parameter!.Name}: {Format(p.Property.GetValue(error))}");
        return $"{name}({string.Join(", ", values)})";
    }

    private static string Format(object? value) => value switch
    {
        byte[] bytes => "0x" + Convert.ToHexStringLower(bytes),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
