using Microsoft.AspNetCore.Http.Features;

namespace Portal.Host.Infrastructure;

/// <summary>
/// One ceiling for request bodies (two card photos of 10 MB each fit under it). Kestrel enforces it on streamed
/// bodies; a declared Content-Length above it is refused at once with 413 problem details.
/// </summary>
internal static class RequestLimits
{
    public const long MaxBodyBytes = 25 * 1024 * 1024;

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            options => options.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = MaxBodyBytes);
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Results.Problem(statusCode: 413, title: "The request is too large.",
                detail: $"Requests may be at most {MaxBodyBytes / (1024 * 1024)} MB.").ExecuteAsync(context);
            return;
        }
        await next();
    });
}
