using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Insurance.Plans;

/// <summary>
/// Two saves that both passed the version check race to commit: the event store refuses the second (its expected
/// stream version is taken). That caller gets 409, like any stale edit, and nothing of theirs is stored.
/// </summary>
internal sealed class ConcurrentChangeProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (exception is not JasperFx.ConcurrencyException || !http.Request.Path.StartsWithSegments("/api/insurance") &&
            !(http.Request.Path.StartsWithSegments("/api/console/clients") && http.Request.Path.Value!.Contains("/insurance", StringComparison.Ordinal)))
            return false;

        http.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "This insurance was changed since you opened it.",
                Detail = "Someone saved a change at the same moment, so your change was not saved. Reload and make your change again.",
            },
        });
    }
}
