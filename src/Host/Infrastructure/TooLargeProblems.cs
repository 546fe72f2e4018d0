using Microsoft.AspNetCore.Diagnostics;
using Portal.BuildingBlocks.Web;

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

        return await problems.WriteProblemAsync(http, exception, StatusCodes.Status413PayloadTooLarge,
            "The request is too large.", $"Requests may be at most {RequestLimits.MaxBodyBytes / (1024 * 1024)} MB.");
    }
}
