using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>Turns the failures a user can cause into a message on stderr and exit code 1.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(string command, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is UnreadableImageException or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or ArgumentException or FormatException or InvalidKeystoreException
            or InvalidModelException or UnknownModelException or ValidationException or InvalidOperationException or IOException
            or ContractRevertException or HttpRequestException or InvalidCertificateBindingException or EdgeNodeProblemException
            or TaskCanceledException { InnerException: TimeoutException }
            or Nethereum.JsonRpc.Client.RpcResponseException or Nethereum.JsonRpc.Client.RpcClientUnknownException
            or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            await Console.Error.WriteLineAsync($"{command}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reads a whole input file, with a clear error when it is missing.</summary>
    public static async Task<byte[]> ReadInputAsync(FileInfo file) =>
        file.Exists ? await File.ReadAllBytesAsync(file.FullName) : throw new FileNotFoundException($"No file at '{file.FullName}'.");
}
