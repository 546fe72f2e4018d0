using Microsoft.AspNetCore.Diagnostics;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Two API writes that both passed their version check raced to commit and the store refused the second (an event
/// stream's expected version was taken, two first writes created the same stream, or a document's revision changed):
/// that caller gets 409 problem details, like any stale edit, and nothing of theirs is stored. Modules may register a
/// more specific handler before this one.
/// </summary>
internal sealed class ConcurrentEditProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        // Two first writes to a new event stream collide on its id: the same race, one step earlier.
        if (exception is not (JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException)
            || !http.Request.Path.StartsWithSegments("/api")) return false;

        return await problems.WriteProblemAsync(http, exception, StatusCodes.Status409Conflict,
            "This record was changed since you opened it.",
            "Someone saved a change at the same moment, so your change was not saved. Reload and make your change again.");
    }
}
