namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// Headers on every answer that keep the ledger's pages out of other sites' frames (a framed verification page could
/// show a "Verified" badge beside another picture, or collect a visitor's file), stop browsers guessing content types,
/// and send no referrer to links the pages show.
/// </summary>
internal static class FrameProtection
{
    /// <summary>Adds the headers before any other middleware answers.</summary>
    public static void UseFrameProtection(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
}
