namespace Portal.Host.Infrastructure;

/// <summary>
/// Security headers on every response: a Content-Security-Policy without inline script, no framing, no sniffing,
/// no referrer (activation and reset links carry tokens), and no caching of anything but static assets.
/// </summary>
internal static class SecurityHeaders
{
    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    // The API reference page (Scalar) is served from the package and needs its own inline bootstrap script, so it is
    // only mapped in development (PortalApplication), and only there does its path get this policy.
    private const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, bool apiReference) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = apiReference && context.Request.Path.StartsWithSegments("/scalar")
                ? ApiReferencePolicy
                : Portal.BuildingBlocks.Web.PageContentSecurity.Apply(context, StrictPolicy);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!IsStaticAsset(context.Request.Path))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next();
    });

    private static bool IsStaticAsset(PathString path) =>
        path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/_content") ||
        path.StartsWithSegments("/img") || path.StartsWithSegments("/favicon.ico") ||
        // A practice's logo and accent stylesheet: public, and their addresses change with their content.
        path.StartsWithSegments("/practice-looks");
}
