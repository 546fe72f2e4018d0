namespace Portal.BuildingBlocks.Security;

/// <summary>
/// The server side of a signed-in session. The cookie alone is not enough: the host asks here on every request
/// whether the session its <see cref="PortalClaims.SessionId"/> names is still open and within its idle and absolute
/// limits, so a session ended here (signed out, timed out, ended from another device) refuses its cookie everywhere,
/// including copies of it. Implemented by the accounts module.
/// </summary>
public interface ISignInSessions
{
    /// <summary>
    /// The session's state now. An open session's last-seen time moves as <paramref name="touch"/> says; a session
    /// past a limit is reported as such (the caller ends it through sign-out, so the end is audited).
    /// </summary>
    Task<SessionCheck> CheckAsync(string sessionId, SessionTouch touch, CancellationToken cancellationToken);

    /// <summary>Ends the session for good (idempotent); <paramref name="reason"/> says why, for example "signed-out".</summary>
    Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken);
}

/// <summary>The idle warning's endpoints: the host must not count the status question as activity.</summary>
public static class SessionPaths
{
    /// <summary>GET: how long the session has left (does not extend it).</summary>
    public const string Status = "/api/account/session";

    /// <summary>POST with the antiforgery token: "Stay signed in".</summary>
    public const string StaySignedIn = "/api/account/session/stay-signed-in";
}

/// <summary>What a request does to the session's last-seen time.</summary>
public enum SessionTouch
{
    /// <summary>Nothing: the warning script asking how long is left must not itself keep the session alive.</summary>
    None,

    /// <summary>A request of the person: last-seen moves, written at most once per <see cref="SignInSessionOptions.LastSeenIntervalFor"/>.</summary>
    Activity,

    /// <summary>"Stay signed in": last-seen moves to now, always.</summary>
    StaySignedIn,
}

public enum SessionVerdict
{
    Open,
    /// <summary>Unknown, or ended before (signed out, ended from another device).</summary>
    Ended,
    IdleTimedOut,
    LifetimeOver,
}

/// <summary>A session's state: for an open one, when it ends unless there is activity, and when it ends regardless.</summary>
public sealed record SessionCheck(SessionVerdict Verdict, DateTimeOffset IdleDeadline, DateTimeOffset LifetimeDeadline, TimeSpan IdleTimeout)
{
    /// <summary>The <c>HttpContext.Items</c> key under which the host keeps the request's check (the layouts read it).</summary>
    public const string Item = "portal.session.check";

    public static readonly SessionCheck Ended = new(SessionVerdict.Ended, default, default, default);

    /// <summary>The session ends at the earlier of its two deadlines.</summary>
    public DateTimeOffset Deadline => IdleDeadline < LifetimeDeadline ? IdleDeadline : LifetimeDeadline;
}

/// <summary>
/// Session limits (<c>Portal:Sessions:*</c>): idle timeouts by role, the absolute lifetime, and how early the browser
/// warns before the idle timeout.
/// </summary>
public sealed class SignInSessionOptions
{
    public const string Section = "Portal:Sessions";

    public TimeSpan StaffIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan ClientIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);
    public TimeSpan WarningBefore { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan IdleTimeoutFor(string role) => role == PortalRoles.Client ? ClientIdleTimeout : StaffIdleTimeout;

    /// <summary>
    /// Last-seen is written at most this often (a minute, or a fifteenth of a shorter idle timeout), not on every
    /// request: the idle deadline may come that much early, never late.
    /// </summary>
    public TimeSpan LastSeenIntervalFor(string role)
    {
        var fifteenth = IdleTimeoutFor(role) / 15;
        return fifteenth < TimeSpan.FromMinutes(1) ? fifteenth : TimeSpan.FromMinutes(1);
    }

    public bool IsValid => StaffIdleTimeout > TimeSpan.Zero && ClientIdleTimeout > TimeSpan.Zero
        && AbsoluteLifetime > TimeSpan.Zero && WarningBefore >= TimeSpan.Zero
        && WarningBefore < StaffIdleTimeout && WarningBefore < ClientIdleTimeout;
}
