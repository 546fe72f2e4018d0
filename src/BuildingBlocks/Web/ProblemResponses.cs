using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Portal.BuildingBlocks.Web;

/// <summary>What every exception handler that answers with problem details does once it has recognised its exception.</summary>
public static class ProblemResponses
{
    /// <summary>Sets <paramref name="status"/> and writes the problem; false when no writer accepts the caller's Accept header.</summary>
    public static ValueTask<bool> WriteProblemAsync(this IProblemDetailsService problems, HttpContext http, Exception exception,
        int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
