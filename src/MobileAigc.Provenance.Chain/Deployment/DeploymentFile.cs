using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Chain.Deployment;

/// <summary>
/// A deployment of the three contracts as a file (<c>deployment.json</c>) that the CLI's commands and the hosts
/// read instead of separate address settings. The JSON shape, version 1:
/// <code>
/// {
///   "version": 1,
///   "chainId": 31337,
///   "deploymentBlock": 1,
///   "deployer": "0x…",
///   "modelRegistry": "0x…",
///   "provenanceLedger": "0x…",
///   "paymentChannels": "0x…"
/// }
/// </code>
/// Addresses are 0x-prefixed hex; <c>chainId</c> and <c>deploymentBlock</c> are JSON numbers; unknown
/// properties are ignored so later versions may add some.
/// </summary>
/// <param name="Contracts">The contracts, with their chain id and deployment block.</param>
/// <param name="Deployer">The account that deployed them: the ledger contract's owner and its first anchorer.</param>
public sealed record DeploymentFile(ProvenanceContracts Contracts, EvmAddress Deployer)
{
    /// <summary>The version of the shape this type writes and the only one it reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads the deployment file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When there is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">When the file is not a deployment file of <see cref="CurrentVersion"/>.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">When this process may not read the file.</exception>
    public static async Task<DeploymentFile> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Existing(path);
        try
        {
            await using var stream = File.OpenRead(full);
            return Parse(await JsonSerializer.DeserializeAsync<Shape>(stream, Json, cancellationToken), full);
        }
        catch (JsonException e)
        {
            throw NotADeploymentFile(full, e);
        }
    }

    /// <summary>Reads the deployment file at <paramref name="path"/> synchronously (for options configuration, which cannot wait).</summary>
    /// <exception cref="FileNotFoundException">When there is no file at <paramref name="path"/>.</exception>
    /// <exception cref="FormatException">When the file is not a deployment file of <see cref="CurrentVersion"/>.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">When this process may not read the file.</exception>
    public static DeploymentFile Read(string path)
    {
        var full = Existing(path);
        try
        {
            using var stream = File.OpenRead(full);
            return Parse(JsonSerializer.Deserialize<Shape>(stream, Json), full);
        }
        catch (JsonException e)
        {
            throw NotADeploymentFile(full, e);
        }
    }

    /// <summary>
    /// Writes this deployment to <paramref name="path"/>, creating its folder. An existing file is kept
    /// (and <see cref="IOException"/> thrown) unless <paramref name="overwrite"/> is set.
    /// </summary>
    /// <exception cref="IOException">When the file exists and <paramref name="overwrite"/> is not set.</exception>
    public async Task WriteAsync(string path, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var shape = new Shape(CurrentVersion, (long)Contracts.ChainId, (long)Contracts.DeploymentBlock, Deployer.ToString(),
            Contracts.ModelRegistry.ToString(), Contracts.ProvenanceLedger.ToString(), Contracts.PaymentChannels.ToString());
        try
        {
            await using var stream = new FileStream(full, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
            await JsonSerializer.SerializeAsync(stream, shape, Json, cancellationToken);
        }
        catch (IOException e) when (!overwrite && File.Exists(full))
        {
            throw new IOException($"A file exists at '{full}' already; it is not overwritten.", e);
        }
    }

    private static string Existing(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException($"No deployment file at '{full}'.", full);
    }

    private static FormatException NotADeploymentFile(string path, JsonException e) => new($"'{path}' is not a deployment file: {e.Message}", e);

    private static DeploymentFile Parse(Shape? shape, string path)
    {
        if (shape is null)
        {
            throw new FormatException($"'{path}' is not a deployment file: it holds null.");
        }

        if (shape.Version != CurrentVersion)
        {
            throw new FormatException($"'{path}' is a deployment file of version {shape.Version}; this build reads version {CurrentVersion}.");
        }

        if (shape.ChainId <= 0 || shape.DeploymentBlock < 0)
        {
            throw new FormatException($"'{path}' names chain {shape.ChainId} and block {shape.DeploymentBlock}; both must be positive.");
        }

        var contracts = new ProvenanceContracts(new BigInteger(shape.ChainId), Address(path, "modelRegistry", shape.ModelRegistry),
            Address(path, "provenanceLedger", shape.ProvenanceLedger), Address(path, "paymentChannels", shape.PaymentChannels))
        {
            DeploymentBlock = (ulong)shape.DeploymentBlock,
        };
        return new DeploymentFile(contracts, Address(path, "deployer", shape.Deployer));
    }

    private static EvmAddress Address(string path, string property, string? text) =>
        EvmAddress.TryParse(text, out var address) && !address.IsZero
            ? address
            : throw new FormatException($"'{path}': \"{property}\" must be a non-zero address (0x followed by 40 hex digits); got '{text ?? "nothing"}'.");

    /// <summary>The file's JSON, property for property.</summary>
    private sealed record Shape(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("chainId")] long ChainId,
        [property: JsonPropertyName("deploymentBlock")] long DeploymentBlock,
        [property: JsonPropertyName("deployer")] string? Deployer,
        [property: JsonPropertyName("modelRegistry")] string? ModelRegistry,
        [property: JsonPropertyName("provenanceLedger")] string? ProvenanceLedger,
        [property: JsonPropertyName("paymentChannels")] string? PaymentChannels);
}
