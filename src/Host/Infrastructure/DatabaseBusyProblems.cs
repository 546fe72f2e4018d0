using Microsoft.AspNetCore.Diagnostics;
using Portal.BuildingBlocks.Web;
using Npgsql;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Every connection of a pool stayed busy for the pool's whole timeout (<c>Timeout</c> in the connection string; 5 s
/// for the list queries, see <see cref="Portal.BuildingBlocks.Data.ListQueryPool"/>): the request is answered 503 with
/// <c>Retry-After</c>, not 500: problem details for API callers; people get the error page with the same status
/// (<see cref="ErrorResponses"/>). Nothing of the request was stored, since it never had a connection.
/// </summary>
internal sealed class DatabaseBusyProblems(IProblemDetailsService problems, ILogger<DatabaseBusyProblems> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (!IsPoolExhausted(exception) || !ErrorResponses.IsApiRequest(http)) return false;

        logger.LogWarning("No database connection was free within the pool's timeout for {Method} {Path}; answered 503.",
            http.Request.Method, http.Request.Path.Value);
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var written = await problems.WriteProblemAsync(http, exception, StatusCodes.Status503ServiceUnavailable,
            "The portal is busy.", $"Nothing was changed. Try again in {RetryAfterSeconds} seconds.");
        // A caller accepting no JSON still gets the 503, in plain text.
        if (!written)
            await http.Response.WriteAsync($"The portal is busy. Nothing was changed. Try again in {RetryAfterSeconds} seconds.", cancellation);
        return true;
    }

    // Npgsql's pool throws a plain NpgsqlException (not a PostgresException, which the server sends) once its timeout ends.
    public static bool IsPoolExhausted(Exception exception) =>
        exception is NpgsqlException and not PostgresException
        && exception.Message.StartsWith("The connection pool has been exhausted", StringComparison.Ordinal);
}
