using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// The official C2PA SDK (<c>@contentauth/c2pa-wasm</c>, c2pa-rs compiled to wasm) as a test oracle: it reads PNG and
/// JPEG files with its validation verdicts and signs files with a given manifest definition, so that this project's
/// own reader and writer can be checked against it both ways. One Node process (<c>tools/c2pa-sdk/serve.mjs</c>)
/// serves every call, so the wasm is compiled once.
/// </summary>
/// <remarks>
/// Thread-safe: calls from several threads are served one after another. A call that fails with the process (time-out,
/// cancellation, node ending) throws; the next call starts a new process. Needs <c>node</c> 20+ on the PATH and the
/// harness installed by <c>scripts/bootstrap.sh</c> (<c>npm ci --ignore-scripts</c> in <c>tools/c2pa-sdk</c>).
/// Share one instance per test class (<see cref="C2paSdkFixture"/>).
/// </remarks>
public sealed class C2paSdk : IAsyncDisposable
{
    /// <summary>The time one read or signature may take by default: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly TimeSpan _startTimeout;
    private readonly TimeSpan _timeout;
    private C2paSdkProcess _process;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _requests;

    private C2paSdk(C2paSdkProcess process, string folder, TimeSpan startTimeout, TimeSpan timeout)
    {
        _process = process;
        _folder = folder;
        _startTimeout = startTimeout;
        _timeout = timeout;
    }

    /// <summary>The harness folder: <c>tools/c2pa-sdk</c> (package.json, lock file, read.mjs, sign.mjs, serve.mjs).</summary>
    public static string HarnessFolder => RepositoryPaths.Combine("tools", "c2pa-sdk");

    /// <summary>Starts the SDK's process and waits until the wasm is ready.</summary>
    /// <param name="timeout">The time the start, and later each call, may take; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="C2paSdkException">When the harness is not installed, node is missing, or it does not start in time.</exception>
    public static Task<C2paSdk> StartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        StartAsync(HarnessFolder, timeout ?? DefaultTimeout, timeout ?? DefaultTimeout, cancellationToken);

    /// <summary>Starts <c>serve.mjs</c> from <paramref name="folder"/>: the real harness, or a stand-in in tests of the process handling.</summary>
    internal static async Task<C2paSdk> StartAsync(
        string folder, TimeSpan startTimeout, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@contentauth", "c2pa-wasm")))
        {
            throw new C2paSdkException(
                $"The official C2PA SDK is not installed in {folder}: run scripts/bootstrap.sh (npm ci --ignore-scripts there).");
        }

        return new C2paSdk(await C2paSdkProcess.StartAsync(folder, startTimeout, cancellationToken), folder, startTimeout, requestTimeout);
    }

    /// <summary>
    /// How many times the SDK's process was started again: after a call that timed out or was cancelled, or after the
    /// wasm trapped on a file (the harness then answers <see cref="C2paReadOutcome.Rejected"/> and exits).
    /// </summary>
    public int Restarts { get; private set; }

    /// <summary>Reads the manifest store of <paramref name="file"/> and validates it as the SDK does.</summary>
    /// <param name="file">The asset's bytes.</param>
    /// <param name="mime">
    /// <c>image/png</c>, <c>image/jpeg</c>, <c>image/webp</c>, or <c>application/c2pa</c> for a manifest store alone (its signature is
    /// checked; its data hash cannot match without the asset: <c>assertion.dataHash.mismatch</c>).
    /// </param>
    /// <param name="trustAnchorsPem">
    /// CA certificates (PEM) to trust; default none, so that every signer is <c>signingCredential.untrusted</c> and a
    /// sound file is <c>Valid</c>; with the signer's CA a sound file is <c>Trusted</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait (the SDK's process cannot be used afterwards).</param>
    /// <returns>The verdict; a file without a manifest store or refused by the SDK is an outcome, not an exception.</returns>
    /// <exception cref="C2paSdkException">When the request is malformed (e.g. another media type) or the process fails.</exception>
    public async Task<C2paReadResult> ReadAsync(
        byte[] file, string mime, string? trustAnchorsPem = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(mime);
        var request = new JsonObject
        {
            ["op"] = "read",
            ["mime"] = mime,
            ["asset"] = Convert.ToBase64String(file),
            ["trustAnchorsPem"] = trustAnchorsPem,
        };
        return C2paReadResult.FromHarness(await SendAsync(request, $"read of a file ({mime})", cancellationToken));
    }

    /// <summary>Signs <paramref name="asset"/> with the manifest definition <paramref name="manifestJson"/>.</summary>
    /// <returns>The signed asset (see <see cref="SignWithManifestStoreAsync"/> for the parameters and exceptions).</returns>
    /// <exception cref="C2paSdkException">When the SDK refuses to sign (its error is the message) or the process fails.</exception>
    public async Task<byte[]> SignAsync(
        byte[] asset,
        string mime,
        string manifestJson,
        C2paSigningCredentials credentials,
        IReadOnlyList<C2paIngredientFile>? ingredients = null,
        CancellationToken cancellationToken = default) =>
        (await SignWithManifestStoreAsync(asset, mime, manifestJson, credentials, ingredients, cancellationToken)).File;

    /// <summary>Signs <paramref name="asset"/> with the manifest definition <paramref name="manifestJson"/>.</summary>
    /// <param name="asset">The asset's bytes (without a manifest store of its own, or it is replaced).</param>
    /// <param name="mime"><c>image/png</c>, <c>image/jpeg</c> or <c>image/webp</c>.</param>
    /// <param name="manifestJson">
    /// A c2pa-rs manifest definition, e.g. <c>{"title":"a.png","assertions":[{"label":"c2pa.actions.v2","data":{...}}]}</c>;
    /// the SDK adds the data hash. It refuses definitions C2PA forbids (e.g. actions not starting with
    /// <c>c2pa.created</c> or <c>c2pa.opened</c>).
    /// </param>
    /// <param name="credentials">The chain and key it signs with (<see cref="C2paTestCertificates.Create"/>).</param>
    /// <param name="ingredients">Assets to add as ingredients; default none.</param>
    /// <param name="cancellationToken">Cancels the wait (the SDK's process cannot be used afterwards).</param>
    /// <returns>The signed asset and the manifest store embedded in it.</returns>
    /// <exception cref="C2paSdkException">When the SDK refuses to sign (its error is the message) or the process fails.</exception>
    public async Task<C2paSignedFile> SignWithManifestStoreAsync(
        byte[] asset,
        string mime,
        string manifestJson,
        C2paSigningCredentials credentials,
        IReadOnlyList<C2paIngredientFile>? ingredients = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentException.ThrowIfNullOrEmpty(mime);
        ArgumentException.ThrowIfNullOrEmpty(manifestJson);
        ArgumentNullException.ThrowIfNull(credentials);
        var request = new JsonObject
        {
            ["op"] = "sign",
            ["mime"] = mime,
            ["asset"] = Convert.ToBase64String(asset),
            ["manifest"] = manifestJson,
            ["chainPem"] = credentials.ChainPem,
            ["privateKeyPem"] = credentials.PrivateKeyPem,
            ["ingredients"] = new JsonArray([.. (ingredients ?? []).Select(i => new JsonObject
            {
                ["json"] = i.IngredientJson,
                ["mime"] = i.Mime,
                ["asset"] = Convert.ToBase64String(i.File),
            })]),
        };
        var answer = await SendAsync(request, $"signature of a file ({mime})", cancellationToken);
        var file = (answer as JsonObject)?["asset"];
        var store = (answer as JsonObject)?["manifest"];
        return file?.GetValueKind() == JsonValueKind.String && store?.GetValueKind() == JsonValueKind.String
            ? new C2paSignedFile(Convert.FromBase64String(file.GetValue<string>()), Convert.FromBase64String(store.GetValue<string>()))
            : throw new C2paSdkException($"The C2PA SDK harness answered a signature with {answer?.ToJsonString() ?? "null"}.");
    }

    /// <summary>Ends the SDK's process (stdin closed, killed if it lingers).</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<JsonNode?> SendAsync(JsonObject request, string what, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _requests);
        request["id"] = id;
        await _gate.WaitAsync(cancellationToken);
        string line;
        try
        {
            if (_process.HasStopped)
            {
                await _process.DisposeAsync();
                _process = await C2paSdkProcess.StartAsync(_folder, _startTimeout, cancellationToken);
                Restarts++;
            }

            line = await _process.ExchangeAsync(request.ToJsonString(), _timeout, what, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        var response = ParseResponse(line, what);
        if (response["ending"]?.GetValue<bool>() == true)
        {
            // The answer stands; the process that gave it is on its way out, so the next call starts another.
            _process.MarkEnding($"node serve.mjs ended after the {what}");
        }

        if (response["id"]?.GetValue<long>() != id)
        {
            throw new C2paSdkException(
                $"The C2PA SDK harness answered request {id.ToString(CultureInfo.InvariantCulture)} with the answer to another: {line}");
        }

        return response["ok"]?.GetValue<bool>() == true
            ? response["result"]
            : throw new C2paSdkException($"The official C2PA SDK refused the {what}: {response["error"]?.GetValue<string>() ?? line}");
    }

    private static JsonObject ParseResponse(string line, string what)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject
                ?? throw new C2paSdkException($"The C2PA SDK harness answered the {what} with '{line}', not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new C2paSdkException($"The C2PA SDK harness answered the {what} with a line that is not JSON: {line}", e);
        }
    }
}
