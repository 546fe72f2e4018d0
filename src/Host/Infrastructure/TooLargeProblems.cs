using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Host.Infrastructure;

/// <summary>
/// A body without a declared length that grows past the ceiling while it is read (Kestrel's body limit, or the
/// multipart limit of a form or upload) is the caller's mistake: 413 problem details, never a 500.
/// </summary>
internal sealed class TooLargeProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        var tooLarge = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                       || (exception is InvalidDataException && exception.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase));
        if (!tooLarge || http.Response.HasStarted) return false;

        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request is too large.",
                Detail = $"Requests may be at most {RequestLimits.MaxBodyBytes / (1024 * 1024)} MB.",
            },
        });
    }
}
