using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Portal.Invitations.Sessions;

/// <summary>
/// How long the session has left, for the layouts' idle warning: seconds until it ends without activity, and how
/// early to warn. The status question itself is not activity (the host does not move last-seen for it).
/// </summary>
internal sealed record SessionTimeLeft(int SecondsLeft, int IdleTimeoutSeconds, int WarningSeconds);

/// <summary>
/// The idle warning's two endpoints. GET answers how long is left without extending the session; POST ("Stay signed
/// in", with the antiforgery token) moves the session's last-seen time to now. Neither can extend past the absolute
/// lifetime.
/// </summary>
public static class StaySignedInEndpoint
{
    [WolverineGet(SessionPaths.Status)]
    [Authorize]
    public static IResult Get(HttpContext http, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options) =>
        http.Items[SessionCheck.Item] is SessionCheck check
            ? Results.Ok(TimeLeft(check, clock, options.CurrentValue))
            : Results.Unauthorized();

    [WolverinePost(SessionPaths.StaySignedIn)]
    [Authorize]
    public static async Task<IResult> Post(HttpContext http, ClaimsPrincipal principal, IAntiforgery antiforgery,
        ISignInSessions sessions, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The antiforgery token is missing or invalid.",
                detail: "Reload the page and try again.");
        var check = await sessions.CheckAsync(principal.FindFirstValue(PortalClaims.SessionId)!, SessionTouch.StaySignedIn,
            http.RequestAborted);
        return check.Verdict == SessionVerdict.Open
            ? Results.Ok(TimeLeft(check, clock, options.CurrentValue))
            : Results.Unauthorized();
    }

    internal static SessionTimeLeft TimeLeft(SessionCheck check, TimeProvider clock, SignInSessionOptions options) => new(
        Math.Max(0, (int)Math.Floor((check.Deadline - clock.GetUtcNow()).TotalSeconds)),
        (int)check.IdleTimeout.TotalSeconds,
        (int)options.WarningBefore.TotalSeconds);
}
