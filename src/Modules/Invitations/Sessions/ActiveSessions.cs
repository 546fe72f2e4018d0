using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Sessions;

/// <summary>One of the person's open sessions as the sessions page and API show it.</summary>
public sealed record ActiveSession(Guid Id, string Device, string? IpAddress, string Place, DateTimeOffset StartedAt,
    DateTimeOffset LastSeenAt, bool ThisDevice);

public sealed record SessionsEnded(int Ended);

/// <summary>
/// The person's own sessions, every role: list them (device from the user agent, place by IP, started, last seen,
/// this device marked), end any one, or end all but this one. Only one's own: another person's session id is 404,
/// as an unknown one. Every end is audited; the ended session's cookie is refused from its next request.
/// </summary>
public static class ActiveSessionsEndpoint
{
    [WolverineGet("/api/account/sessions")]
    [Authorize]
    public static async Task<IReadOnlyList<ActiveSession>> Get(ClaimsPrincipal principal, IQuerySession session,
        TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options) =>
        await ActiveSessions.ListAsync(principal, session, clock, options.CurrentValue);

    [WolverineDelete("/api/account/sessions/{sessionId}")]
    [Authorize]
    public static async Task<IResult> Delete(Guid sessionId, HttpContext http, IDocumentSession session, TimeProvider clock,
        IOptionsMonitor<SignInSessionOptions> options)
    {
        var outcome = await ActiveSessions.EndAsync(sessionId, http, session, clock, options.CurrentValue);
        if (outcome.Succeeded) await session.SaveChangesAsync();
        return outcome.ToResult(http);
    }

    [WolverinePost("/api/account/sessions/sign-out-others")]
    [Authorize]
    public static async Task<SessionsEnded> SignOutOthers(HttpContext http, IDocumentSession session, TimeProvider clock,
        IOptionsMonitor<SignInSessionOptions> options)
    {
        var ended = await ActiveSessions.EndOthersAsync(http, session, clock, options.CurrentValue);
        await session.SaveChangesAsync();
        return ended;
    }
}

internal static class ActiveSessions
{
    public const string EndReason = "ended-from-another-session";

    public static async Task<IReadOnlyList<ActiveSession>> ListAsync(ClaimsPrincipal principal, IQuerySession session,
        TimeProvider clock, SignInSessionOptions options)
    {
        var current = CurrentId(principal);
        return (await OpenSessionsAsync(principal, session, clock, options))
            .OrderByDescending(s => s.Id == current).ThenByDescending(s => s.LastSeen)
            .Select(s => new ActiveSession(s.Reference, DeviceNames.Of(s.UserAgent), s.IpAddress, Places.Of(s.IpAddress),
                s.StartedAt, s.LastSeen, s.Id == current))
            .ToList();
    }

    /// <summary>Ends one of the caller's own open sessions (this one too, if asked); anyone else's is not found.</summary>
    public static async Task<Outcome<SessionsEnded>> EndAsync(Guid reference, HttpContext http, IDocumentSession session,
        TimeProvider clock, SignInSessionOptions options)
    {
        var record = (await OpenSessionsAsync(http.User, session, clock, options)).SingleOrDefault(s => s.Reference == reference);
        if (record is null) return Refusal.NotFound("session");
        End(record, http, session, clock);
        return Outcome<SessionsEnded>.Ok(new SessionsEnded(1), StatusCodes.Status204NoContent);
    }

    /// <summary>"Sign out everywhere else": every open session of the caller but the one making the request.</summary>
    public static async Task<SessionsEnded> EndOthersAsync(HttpContext http, IDocumentSession session, TimeProvider clock,
        SignInSessionOptions options)
    {
        var current = CurrentId(http.User);
        var others = (await OpenSessionsAsync(http.User, session, clock, options)).Where(s => s.Id != current).ToList();
        foreach (var record in others) End(record, http, session, clock);
        return new SessionsEnded(others.Count);
    }

    private static void End(SignInSession record, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        record.End(clock.GetUtcNow(), EndReason);
        session.Store(record);
        Audit.Record(session, http, clock, "account.session-ended", nameof(SignInSession), record.Reference.ToString(), user.ClientId,
            EndReason);
    }

    /// <summary>The caller's sessions that still let a cookie in: open and within their limits.</summary>
    private static async Task<IReadOnlyList<SignInSession>> OpenSessionsAsync(ClaimsPrincipal principal, IQuerySession session,
        TimeProvider clock, SignInSessionOptions options)
    {
        var user = CurrentUser.From(principal)!;
        var now = clock.GetUtcNow();
        var records = await session.Query<SignInSession>().Where(s => s.UserId == user.UserId && s.EndedAt == null).ToListAsync();
        return records.Where(s => s.Check(options, now).Verdict == SessionVerdict.Open).ToList();
    }

    private static string? CurrentId(ClaimsPrincipal principal) =>
        principal.FindFirstValue(PortalClaims.SessionId) is { } id ? SecretTokens.Hash(id) : null;
}

/// <summary>
/// Where an address is, as far as the portal honestly knows: "local network" for loopback and private addresses,
/// otherwise "unknown place" (the portal has no GeoIP database; it never guesses a city).
/// </summary>
internal static class Places
{
    public const string LocalNetwork = "local network";
    public const string Unknown = "unknown place";

    public static string Of(string? ipAddress)
    {
        if (!IPAddress.TryParse(ipAddress, out var address)) return Unknown;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return LocalNetwork;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal ? LocalNetwork : Unknown;
        var bytes = address.GetAddressBytes();
        var local = bytes[0] == 10
            || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31)
            || (bytes[0] == 192 && bytes[1] == 168)
            || (bytes[0] == 169 && bytes[1] == 254)
            || (bytes[0] == 100 && bytes[1] is >= 64 and <= 127);
        return local ? LocalNetwork : Unknown;
    }
}

/// <summary>A user agent in words a person recognises ("Chrome on Android"); "Unknown browser" when it says nothing usable.</summary>
internal static class DeviceNames
{
    public static string Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Unknown device";
        var browser = Browser(userAgent);
        var system = System(userAgent);
        return (browser, system) switch
        {
            (null, null) => "Unknown device",
            (null, { } os) => $"Unknown browser on {os}",
            ({ } name, null) => name,
            ({ } name, { } os) => $"{name} on {os}",
        };
    }

    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    private static string? Browser(string ua) =>
        Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/") ? "Edge"
        : Has(ua, "OPR/") || Has(ua, "Opera") ? "Opera"
        : Has(ua, "SamsungBrowser/") ? "Samsung Internet"
        : Has(ua, "Firefox/") || Has(ua, "FxiOS/") ? "Firefox"
        : Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "Chromium/") ? "Chrome"
        : Has(ua, "Safari/") && Has(ua, "Version/") ? "Safari"
        : null;

    private static string? System(string ua) =>
        Has(ua, "iPhone") ? "iPhone"
        : Has(ua, "iPad") ? "iPad"
        : Has(ua, "Android") ? "Android"
        : Has(ua, "CrOS") ? "ChromeOS"
        : Has(ua, "Windows") ? "Windows"
        : Has(ua, "Mac OS X") || Has(ua, "Macintosh") ? "Mac"
        : Has(ua, "Linux") ? "Linux"
        : null;

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);
}
