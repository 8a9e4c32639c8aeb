using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The C2PA Soft Binding Resolution API (OpenAPI 1.1.0 of the C2PA specification), base URL
/// <c>{ledger}/c2pa/v1</c>: lets C2PA tools resolve an image through this ledger by its watermark
/// or perceptual hash. A "manifest id" here is a provenance record's digest (0x + 64 hex), which
/// <c>api/records/{digest}</c> and <c>api/verify</c> describe in full.
/// </summary>
/// <remarks>
/// <para>Algorithm names: the C2PA soft binding algorithm list only lists algorithms its working
/// group approved; ours are not on it, so they carry this project's own reverse-domain names, as the
/// list's naming rule asks: <see cref="WatermarkAlgorithm"/> (value: the 8-byte payload, big-endian,
/// base64; the record's 32-byte <c>watermarkId</c> is accepted too) and <see cref="PerceptualHashAlgorithm"/>
/// (value: the 32 hash bytes, base64, bit layout of <c>PerceptualHash</c>).</para>
/// <para>Implemented: <c>GET/POST matches/byBinding</c>, <c>POST matches/byContent</c> (raw image or text body),
/// <c>GET services/supportedAlgorithms</c>. Not implemented: <c>matches/byReference</c> (optional in the
/// specification; fetching URLs for clients is an SSRF risk) and <c>manifests/{id}</c> (the ledger holds
/// signed records, not C2PA manifest stores).</para>
/// </remarks>
public static class SoftBindingApi
{
    /// <summary>Our image watermark's algorithm name.</summary>
    public const string WatermarkAlgorithm = "org.mobileaigc.watermark.image.1";

    /// <summary>Our perceptual hash's algorithm name (PDQ-style, 256 bits, not bit-compatible with Meta's PDQ).</summary>
    public const string PerceptualHashAlgorithm = "org.mobileaigc.phash.1";

    private const int DefaultMaxResults = 10;
    private const int MaxMaxResults = 100;

    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapSoftBindingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("c2pa/v1").WithTags("C2PA soft binding resolution").RequireRateLimiting(LedgerRateLimits.Public);
        api.MapGet("matches/byBinding", QueryByBindingAsync)
            .WithName("C2paQueryByBinding")
            .WithSummary("Returns the record ids (C2PA manifest ids) matching a soft binding value.");
        api.MapPost("matches/byBinding", QueryByLargeBindingAsync)
            .WithName("C2paQueryByLargeBinding")
            .Accepts<SoftBindingQuery>("application/json", "*/*")
            .WithSummary("As GET matches/byBinding, with the query in a JSON body.");
        api.MapPost("matches/byContent", QueryByContentAsync)
            .WithName("C2paQueryByContent")
            .WithSummary("Returns the record ids matching an uploaded asset (raw body: PNG, JPEG or UTF-8 text, recognised by content).")
            .LimitConcurrency(HeavyWork.Verification);
        api.MapGet("services/supportedAlgorithms", SupportedAlgorithms)
            .WithName("C2paSupportedAlgorithms")
            .WithSummary("Lists the soft binding algorithms this service resolves.");
        return api;
    }

    /// <summary><c>GET matches/byBinding?alg=&amp;value=&amp;maxResults=</c>.</summary>
    public static Task<Results<Ok<SoftBindingQueryResult>, ProblemHttpResult>> QueryByBindingAsync(
        string? alg, string? value, int? maxResults, [AsParameters] SoftBindingServices services, CancellationToken cancellationToken) =>
        ResolveAsync(alg, value, maxResults, services, cancellationToken);

    /// <summary>
    /// <c>POST matches/byBinding?maxResults=</c> with a <see cref="SoftBindingQuery"/> body. The body is read
    /// here rather than bound, so that every malformed one (bad JSON, a charset nobody knows, another media
    /// type) is answered with <see cref="LedgerProblemTypes.InvalidRequest"/>, never the framework's bare status.
    /// </summary>
    public static async Task<Results<Ok<SoftBindingQueryResult>, ProblemHttpResult>> QueryByLargeBindingAsync(
        HttpRequest request, int? maxResults, [AsParameters] SoftBindingServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unsupported media type",
                "The body must be a JSON object with 'alg' and 'value' (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        SoftBindingQuery? query;
        try
        {
            query = await request.ReadFromJsonAsync<SoftBindingQuery>(cancellationToken);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException
            && !cancellationToken.IsCancellationRequested)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed body",
                "The body is not a JSON object with 'alg' and 'value' in UTF-8.");
        }

        return await ResolveAsync(query?.Alg, query?.Value, maxResults, services, cancellationToken);
    }

    /// <summary><c>POST matches/byContent?alg=&amp;maxResults=</c> with the asset as the body.</summary>
    public static async Task<Results<Ok<SoftBindingQueryResult>, ProblemHttpResult>> QueryByContentAsync(
        HttpRequest request, string? alg, int? maxResults, [AsParameters] SoftBindingServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (alg is not null and not WatermarkAlgorithm and not PerceptualHashAlgorithm)
        {
            return UnknownAlgorithm(alg);
        }

        if (CheckMaxResults(maxResults) is { } bad)
        {
            return bad;
        }

        var limit = services.Options.Value.MaxUploadBytes;
        if (request.ContentLength > limit)
        {
            return VerifyApi.TooLarge(limit);
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? VerifyApi.TooLarge(limit)
                : LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed body", "The body ended early or could not be read.");
        }
        catch (InvalidDataException)
        {
            return VerifyApi.TooLarge(limit);
        }

        try
        {
            var matches = await services.Lookup.MatchContentAsync(body, maxResults ?? DefaultMaxResults, cancellationToken);
            return TypedResults.Ok(ToResult(matches.Where(m => alg is null || AlgorithmOf(m.Method) is null || AlgorithmOf(m.Method) == alg)));
        }
        catch (UnsupportedContentException e)
        {
            return VerifyApi.UnsupportedContent(e);
        }
    }

    /// <summary><c>GET services/supportedAlgorithms</c>.</summary>
    public static Ok<SoftBindingAlgList> SupportedAlgorithms() => TypedResults.Ok(new SoftBindingAlgList(
        [new SoftBindingAlgorithm(WatermarkAlgorithm)], [new SoftBindingAlgorithm(PerceptualHashAlgorithm)]));

    private static async Task<Results<Ok<SoftBindingQueryResult>, ProblemHttpResult>> ResolveAsync(
        string? alg, string? value, int? maxResults, SoftBindingServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (string.IsNullOrEmpty(alg) || string.IsNullOrEmpty(value))
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Missing query", "Both 'alg' and 'value' (base64) are required.");
        }

        if (CheckMaxResults(maxResults) is { } bad)
        {
            return bad;
        }

        var bytes = new byte[(value.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(value, bytes, out var length))
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value", "'value' is not base64.");
        }

        var max = maxResults ?? DefaultMaxResults;
        var decoded = bytes.AsSpan(0, length);
        switch (alg)
        {
            case WatermarkAlgorithm when length == sizeof(ulong) || (length == 32 && decoded[8..].IndexOfAnyExcept((byte)0) < 0):
                var payload = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(decoded);
                return TypedResults.Ok(ToResult(await services.Lookup.MatchWatermarkAsync(payload, max, cancellationToken)));
            case WatermarkAlgorithm:
                return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value", $"A {WatermarkAlgorithm} value is the 8-byte payload (or the 32-byte watermark id), base64.");
            case PerceptualHashAlgorithm when length == 32:
                var hash = Core.Primitives.Bytes32.FromBytes(decoded);
                return TypedResults.Ok(ToResult(await services.Lookup.MatchPerceptualHashAsync(hash, max, cancellationToken)));
            case PerceptualHashAlgorithm:
                return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed value", $"A {PerceptualHashAlgorithm} value is the 32 hash bytes, base64.");
            default:
                return UnknownAlgorithm(alg);
        }
    }

    private static ProblemHttpResult? CheckMaxResults(int? maxResults) => maxResults is < 1 or > MaxMaxResults
        ? LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Bad maxResults", $"maxResults must be 1 to {MaxMaxResults}.")
        : null;

    private static ProblemHttpResult UnknownAlgorithm(string alg) => LedgerProblems.Problem(
        LedgerProblemTypes.InvalidRequest, "Unsupported algorithm",
        $"'{alg}' is not resolved here; see services/supportedAlgorithms ({WatermarkAlgorithm}, {PerceptualHashAlgorithm}).");

    private static string? AlgorithmOf(Core.Api.VerificationMatchMethod method) => method switch
    {
        Core.Api.VerificationMatchMethod.ImageWatermark => WatermarkAlgorithm,
        Core.Api.VerificationMatchMethod.PerceptualHash => PerceptualHashAlgorithm,
        _ => null, // An exact hash match is no soft binding; it answers whatever algorithm was asked.
    };

    private static SoftBindingQueryResult ToResult(IEnumerable<RecordMatch> matches) =>
        new([.. matches.Select(m => new SoftBindingMatch(m.RecordDigest.ToString(), Endpoint: null, m.SimilarityScore))]);

    private static async Task<byte[]> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new InvalidDataException("The body exceeds the upload limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>What the soft-binding handlers need.</summary>
/// <param name="Lookup">The lookups.</param>
/// <param name="Options">Upload limits.</param>
public sealed record SoftBindingServices(SoftBindingLookup Lookup, IOptions<VerificationOptions> Options);

/// <summary>C2PA <c>c2pa.softBindingQuery</c>.</summary>
/// <param name="Alg">The algorithm name.</param>
/// <param name="Value">The binding value, base64.</param>
public sealed record SoftBindingQuery(string? Alg, string? Value);

/// <summary>C2PA <c>c2pa.softBindingQueryResult</c>.</summary>
/// <param name="Matches">The matches, best first.</param>
public sealed record SoftBindingQueryResult(IReadOnlyList<SoftBindingMatch> Matches);

/// <summary>One match of <see cref="SoftBindingQueryResult"/>.</summary>
/// <param name="ManifestId">The record digest, 0x + 64 hex.</param>
/// <param name="Endpoint">Another resolution service holding it; always null here (omitted).</param>
/// <param name="SimilarityScore">0 (weakest) to 100 (strongest).</param>
public sealed record SoftBindingMatch(
    string ManifestId,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Endpoint,
    int SimilarityScore);

/// <summary>C2PA <c>c2pa.softBindingAlgList</c>.</summary>
/// <param name="Watermarks">Watermark algorithms.</param>
/// <param name="Fingerprints">Fingerprint algorithms.</param>
public sealed record SoftBindingAlgList(IReadOnlyList<SoftBindingAlgorithm> Watermarks, IReadOnlyList<SoftBindingAlgorithm> Fingerprints);

/// <summary>One algorithm of <see cref="SoftBindingAlgList"/>.</summary>
/// <param name="Alg">Its name.</param>
public sealed record SoftBindingAlgorithm(string Alg);
