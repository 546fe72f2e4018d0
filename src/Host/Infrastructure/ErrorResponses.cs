namespace Portal.Host.Infrastructure;

/// <summary>
/// Errors become problem details for API callers and a friendly page for people; never a stack trace.
/// </summary>
internal static class ErrorResponses
{
    public static IApplicationBuilder UsePortalErrorResponses(this WebApplication app)
    {
        app.UseWhen(IsApiRequest, api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApiRequest(context), pages =>
        {
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/error",
                // The error page tells a person what the status means (503: busy, try again in a moment).
                StatusCodeSelector = exception => DatabaseBusyProblems.IsPoolExhausted(exception)
                    ? StatusCodes.Status503ServiceUnavailable
                    : StatusCodes.Status500InternalServerError,
            });
            pages.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
        return app;
    }

    public static bool IsApiRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") ||
        context.Request.Path.StartsWithSegments("/fhir") ||
        context.Request.Path.StartsWithSegments("/health") ||
        context.Request.Path.StartsWithSegments("/openapi") ||
        context.Request.Headers.Accept.Any(a => a?.Contains("json", StringComparison.OrdinalIgnoreCase) == true);
}
