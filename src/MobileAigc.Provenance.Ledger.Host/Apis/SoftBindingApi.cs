using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The C2PA Soft Binding Resolution API (OpenAPI 1.1.0 of the C2PA specification), base URL
/// <c>{ledger}/c2pa/v1</c>: lets C2PA tools resolve an asset through this ledger by its watermark or
/// perceptual hash, then fetch the record's manifest store (<c>manifests/{manifestId}</c>). A manifest id is
/// the <c>urn:c2pa:</c> label of a record's manifest (<see cref="RecordManifestLabel"/>); only records whose
/// manifest store the ledger keeps are listed, so every match is served here and carries no <c>endpoint</c>.
/// </summary>
/// <remarks>
/// <para>Algorithms (<see cref="SoftBindingAlgorithms"/>): <c>org.mobileaigc.watermark.image.1</c> (value: the
/// 8-byte payload, big-endian, base64; the record's 32-byte <c>watermarkId</c> is accepted too) and
/// <c>org.mobileaigc.phash.1</c> (value: the 32 hash bytes, base64).</para>
/// <para><c>maxResults</c>: at least 1, default 10; the specification sets no maximum, so a larger value is
/// accepted and lowered to <see cref="SoftBindingLookup.MaxMatches"/>.</para>
/// <para>Browsers may call every route from any origin (CORS, GET and POST, no credentials).
/// <c>matches/byReference</c> (optional in the specification) is not served: fetching URLs for clients is an SSRF risk.</para>
/// </remarks>
public static partial class SoftBindingApi
{
    /// <summary>The CORS policy of the group: any origin, GET and POST, any request header, no credentials.</summary>
    public const string CorsPolicy = "c2pa-soft-binding";

    /// <summary>The media type of a C2PA manifest store.</summary>
    public const string ManifestStoreMediaType = "application/c2pa";

    private const int DefaultMaxResults = 10;

    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapSoftBindingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("c2pa/v1").WithTags("C2PA soft binding resolution")
            .RequireRateLimiting(LedgerRateLimits.Public).RequireCors(CorsPolicy);
        api.MapGet("matches/byBinding", QueryByBindingAsync)
            .WithName("C2paQueryByBinding")
            .WithSummary("Returns the C2PA manifest ids matching a soft binding value.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AddOpenApiOperationTransformer(RequireParameters("alg", "value"));
        api.MapPost("matches/byBinding", QueryByLargeBindingAsync)
            .WithName("C2paQueryByLargeBinding")
            .Accepts<SoftBindingQuery>("application/json", "*/*")
            .WithSummary("As GET matches/byBinding, with the query in a JSON body.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("matches/byContent", QueryByContentAsync)
            .WithName("C2paQueryByContent")
            .Accepts<Stream>("image/png", "image/jpeg", "image/webp", "text/plain", "application/octet-stream")
            .WithSummary("Returns the C2PA manifest ids matching an uploaded asset (raw body: PNG, JPEG, WebP or UTF-8 text, recognised by content); with alg, only that algorithm is run on it.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .LimitConcurrency(HeavyWork.Verification);
        api.MapGet("manifests/{manifestId}", GetManifestAsync)
            .WithName("C2paGetManifestById")
            .WithSummary("Returns the C2PA manifest store (application/c2pa) holding the manifest with this id, or with returnActiveManifest=true a store of that manifest alone.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), ManifestStoreMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("services/supportedAlgorithms", SupportedAlgorithms)
            .WithName("C2paSupportedAlgorithms")
            .WithSummary("Lists the soft binding algorithms this service resolves.");
        return api;
    }

    /// <summary><c>GET matches/byBinding?alg=&amp;value=&amp;maxResults=</c>; <c>alg</c> and <c>value</c> are required.</summary>
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

    /// <summary>
    /// <c>POST matches/byContent?alg=&amp;maxResults=&amp;hintAlg=&amp;hintValue=</c> with the asset as the body.
    /// With <c>alg</c>, that algorithm alone is run on the asset; without it, every strategy (exact hash first).
    /// A usable hint (a supported <c>hintAlg</c> with a well-formed <c>hintValue</c>) adds the records its
    /// binding resolves to after the content's own matches; an unusable one is ignored, as hints only aid.
    /// </summary>
    public static async Task<Results<Ok<SoftBindingQueryResult>, ProblemHttpResult>> QueryByContentAsync(
        HttpRequest request, string? alg, int? maxResults, string? hintAlg, string? hintValue,
        [AsParameters] SoftBindingServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (alg is not null && !SoftBindingLookup.Supports(alg))
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

        var max = maxResults ?? DefaultMaxResults;
        IReadOnlyList<RecordMatch> matches;
        try
        {
            matches = await services.Lookup.MatchContentAsync(body, alg, max, cancellationToken);
        }
        catch (UnsupportedContentException e)
        {
            return VerifyApi.UnsupportedContent(e);
        }

        if (hintAlg is not null && hintValue is not null && Decode(hintAlg, hintValue) is { Binding: { } hint })
        {
            var hinted = await hint(services.Lookup, max, cancellationToken);
            matches = [.. matches.Concat(hinted.Where(h => !matches.Any(m => m.RecordDigest == h.RecordDigest))).Take(Math.Min(max, SoftBindingLookup.MaxMatches))];
        }

        return TypedResults.Ok(ToResult(matches));
    }

    /// <summary><c>GET services/supportedAlgorithms</c>.</summary>
    public static Ok<SoftBindingAlgList> SupportedAlgorithms() => TypedResults.Ok(new SoftBindingAlgList(
        [new SoftBindingAlgorithm(SoftBindingAlgorithms.ImageWatermark)], [new SoftBindingAlgorithm(SoftBindingAlgorithms.PerceptualHash), new SoftBindingAlgorithm(SoftBindingAlgorithms.Pdq)]));

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

        var decoded = Decode(alg, value);
        if (decoded.Binding is not { } binding)
        {
            return decoded.Problem!;
        }

        return TypedResults.Ok(ToResult(await binding(services.Lookup, maxResults ?? DefaultMaxResults, cancellationToken)));
    }

    private static ProblemHttpResult? CheckMaxResults(int? maxResults) => maxResults is < 1
        ? LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Bad maxResults", "maxResults must be at least 1.")
        : null;

    internal static ProblemHttpResult UnknownAlgorithm(string alg) => LedgerProblems.Problem(
        LedgerProblemTypes.InvalidRequest, "Unsupported algorithm",
        $"'{alg}' is not resolved here; see services/supportedAlgorithms ({SoftBindingAlgorithms.ImageWatermark}, {SoftBindingAlgorithms.PerceptualHash}, {SoftBindingAlgorithms.Pdq}).");

    private static SoftBindingQueryResult ToResult(IEnumerable<RecordMatch> matches) =>
        new([.. matches.Select(m => new SoftBindingMatch(m.ManifestId, Endpoint: null, m.SimilarityScore))]);

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
