using Microsoft.AspNetCore.Diagnostics;

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
            !(http.Request.Path.StartsWithSegments("/api/console/clients")
                && http.Request.Path.Value!.Contains("/insurance", StringComparison.Ordinal)))
            return false;

        return await problems.WriteProblemAsync(http, exception, StatusCodes.Status409Conflict,
            "This insurance was changed since you opened it.",
            "Someone saved a change at the same moment, so your change was not saved. Reload and make your change again.");
    }
}
