using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Time;
using Portal.BuildingBlocks.Web;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Decides once per request whose eyes the page is for (<see cref="ReaderContext"/>): the practice whose look it wears
/// (the signed-in person's; for a signed-out visitor the one a practice's link named with <c>?practice=</c>, remembered
/// in a cookie so the next sign-in page keeps it) and the zone dates are shown in (the person's own, else the
/// practice's, else <see cref="PortalTime.DefaultZoneId"/>).
/// </summary>
internal static class ReaderContextMiddleware
{
    public const string PracticeCookie = "portal.practice";

    public static IApplicationBuilder UseReaderContext(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var user = CurrentUser.From(http.User);
        var practiceId = user is not null ? user.PracticeId : VisitedPractice(http);
        var look = practiceId is { } id
            ? await http.RequestServices.GetRequiredService<IPracticeLooks>().FindAsync(id, http.RequestAborted)
            : null;
        var own = user is null
            ? null
            : await http.RequestServices.GetRequiredService<IPersonalTimeZones>().FindAsync(user.UserId, http.RequestAborted);
        var zone = PortalTime.Find(own)
            ?? PortalTime.Find(look?.TimeZone)
            ?? PortalTime.DefaultZone;
        http.Features.Set(new ReaderContext { Zone = zone, Look = look });
        await next();
    });

    /// <summary>The practice a signed-out visitor came from: named by the link, or remembered from an earlier one.</summary>
    private static Guid? VisitedPractice(HttpContext http)
    {
        if (Guid.TryParse(http.Request.Query["practice"], out var named))
        {
            http.Response.Cookies.Append(PracticeCookie, named.ToString(), new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(30),
                IsEssential = true,
            });
            return named;
        }
        return Guid.TryParse(http.Request.Cookies[PracticeCookie], out var remembered) ? remembered : null;
    }
}
