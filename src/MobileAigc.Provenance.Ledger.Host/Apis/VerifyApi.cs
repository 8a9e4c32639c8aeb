using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Content verification for creators and viewers: <c>api/verify</c>.</summary>
public static class VerifyApi
{
    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapVerifyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(LedgerVerification.VerifyPath).WithTags("Verification").RequireRateLimiting(LedgerRateLimits.Public);
        api.MapGet("{sha256}", VerifyHashAsync)
            .WithName("VerifyContentHash")
            .WithSummary("Verifies content by its SHA-256 (exact match only).")
            .LimitConcurrency(HeavyWork.HashVerification);
        api.MapPost("", VerifyFileAsync)
            .WithName("VerifyFile")
            // No .Accepts(): its content-type matcher would answer a non-form body with the framework's 415, not our problem type.
            .WithSummary("Verifies an uploaded PNG, JPEG, WebP or UTF-8 text file (multipart/form-data, field 'file'): exact hash, then watermark, then perceptual hash.")
            .LimitConcurrency(HeavyWork.Verification);
        return api;
    }

    /// <summary><c>GET api/verify/{sha256}</c>: 64 hex digits, optional 0x.</summary>
    public static async Task<Results<Ok<VerificationResult>, ProblemHttpResult>> VerifyHashAsync(
        string sha256, [AsParameters] VerifyServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Bytes32.TryParse(sha256, out var contentHash))
        {
            return LedgerProblems.Problem(
                LedgerProblemTypes.InvalidRequest, "Malformed content hash", "The SHA-256 must be 64 hex digits, with or without a 0x prefix.");
        }

        var started = Stopwatch.GetTimestamp();
        var result = await services.Verifier.VerifyHashAsync(contentHash, cancellationToken);
        services.Metrics.RecordVerification(result, byFile: false, Stopwatch.GetElapsedTime(started));
        return TypedResults.Ok(result);
    }

    /// <summary><c>POST api/verify</c>: multipart with one file in the field <c>file</c>.</summary>
    public static async Task<Results<Ok<VerificationResult>, ProblemHttpResult>> VerifyFileAsync(
        HttpRequest request, [AsParameters] VerifyServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        var upload = await ReadUploadAsync(request, services.Options.Value.MaxUploadBytes, cancellationToken);
        if (upload.Problem is { } problem)
        {
            return problem;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var result = await services.Verifier.VerifyFileAsync(upload.Bytes, cancellationToken);
            services.Metrics.RecordVerification(result, byFile: true, Stopwatch.GetElapsedTime(started));
            return TypedResults.Ok(result);
        }
        catch (UnsupportedContentException e)
        {
            return UnsupportedContent(e);
        }
    }

    /// <summary>The problem for a file the verifier refused: 413 too large, 415 wrong type, 400 empty or damaged.</summary>
    internal static ProblemHttpResult UnsupportedContent(UnsupportedContentException e) => e.Reason switch
    {
        UnsupportedContentReason.TooLarge => LedgerProblems.Problem(LedgerProblemTypes.UnsupportedContent, "File too large", e.Message, StatusCodes.Status413PayloadTooLarge),
        UnsupportedContentReason.UnsupportedType => LedgerProblems.Problem(LedgerProblemTypes.UnsupportedContent, "Unsupported file type", e.Message, StatusCodes.Status415UnsupportedMediaType),
        UnsupportedContentReason.Empty => LedgerProblems.Problem(LedgerProblemTypes.UnsupportedContent, "Empty file", e.Message),
        // The decoder's own text stays in the log: the client learns only that the image is damaged.
        _ => LedgerProblems.Problem(LedgerProblemTypes.UnsupportedContent, "Unreadable image", "The image is truncated or corrupt and cannot be decoded."),
    };

    /// <summary>The problem for a multipart or form body that cannot be parsed.</summary>
    internal static ProblemHttpResult MalformedUpload() => LedgerProblems.Problem(
        LedgerProblemTypes.InvalidRequest, "Malformed upload",
        $"The body is not a well-formed multipart/form-data upload with the file in the field '{LedgerVerification.FileField}'.");

    /// <summary>The problem for a body over the limit.</summary>
    internal static ProblemHttpResult TooLarge(long limit) => LedgerProblems.Problem(
        LedgerProblemTypes.UnsupportedContent, "File too large", $"Uploads are limited to {limit:N0} bytes.", StatusCodes.Status413PayloadTooLarge);

    private static async Task<(byte[] Bytes, ProblemHttpResult? Problem)> ReadUploadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        // Multipart framing adds a few hundred bytes; anything beyond limit + 64 KiB cannot be a valid upload.
        const long framing = 64 * 1024;
        if (request.ContentLength > limit + framing)
        {
            return ([], TooLarge(limit));
        }

        if (!request.HasFormContentType)
        {
            return ([], LedgerProblems.Problem(
                LedgerProblemTypes.InvalidRequest, "Not a form upload", $"Send multipart/form-data with the file in the field '{LedgerVerification.FileField}'.",
                StatusCodes.Status415UnsupportedMediaType));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit + framing, ValueCountLimit = 16 }, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own body limit.
            return ([], TooLarge(limit));
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader's limits: the multipart body, a section's headers, the number of values.
            return ([], TooLarge(limit));
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException or InvalidOperationException or FormatException
            && !cancellationToken.IsCancellationRequested)
        {
            // A body that ended early, no or a bad boundary, a section without Content-Disposition, a broken
            // encoding: the client's mistake, answered in our words (the reader's text names its internals).
            return ([], MalformedUpload());
        }

        var file = form.Files.GetFile(LedgerVerification.FileField);
        if (file is null)
        {
            return ([], LedgerProblems.Problem(
                LedgerProblemTypes.InvalidRequest, "No file", $"The multipart body has no file in the field '{LedgerVerification.FileField}'."));
        }

        if (file.Length > limit)
        {
            return ([], TooLarge(limit));
        }

        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return (bytes, null);
    }
}

/// <summary>What the verification handlers need.</summary>
/// <param name="Verifier">The verdict logic.</param>
/// <param name="Options">Upload limits.</param>
/// <param name="Metrics">Times verifications by strategy and verdict.</param>
public sealed record VerifyServices(ContentVerifier Verifier, IOptions<VerificationOptions> Options, LedgerMetrics Metrics);
