using Marten.Patching;
using Microsoft.Extensions.Options;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Sessions;

/// <summary>
/// One signed-in session, from sign-in until it ends. The cookie carries a random session id; this record is kept
/// under the id's SHA-256 hash (so the table holds nothing a cookie could be made from), and the cookie is honoured
/// only while the record is open and within its idle and absolute limits (<see cref="SignInSessionOptions"/>).
/// </summary>
public sealed class SignInSession
{
    /// <summary>User agents longer than this are kept cut: the text only names a device, and headers can be long.</summary>
    public const int UserAgentKept = 512;

    /// <summary>The SHA-256 hash of the session id in the cookie.</summary>
    public string Id { get; set; } = string.Empty;
    /// <summary>The id the sessions page and API name the session by (neither the cookie's id nor its hash).</summary>
    public Guid Reference { get; set; }
    public Guid UserId { get; set; }
    public string Role { get; set; } = string.Empty;
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>The last request of the person, written at most once per <see cref="SignInSessionOptions.LastSeenIntervalFor"/>.</summary>
    public DateTimeOffset? LastSeenAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Why it ended: "signed-out", "session-expired", "idle-timeout", "ended-from-another-session".</summary>
    public string? EndReason { get; set; }

    public bool IsOpen => EndedAt is null;

    public DateTimeOffset LastSeen => LastSeenAt ?? StartedAt;

    /// <summary>A new session for the account; returns the record to store and the id for the cookie.</summary>
    public static (SignInSession Record, string SessionId) Start(Account account, DateTimeOffset now, HttpContext http)
    {
        var sessionId = SecretTokens.New();
        var userAgent = http.Request.Headers.UserAgent.ToString();
        return (new SignInSession
        {
            Id = SecretTokens.Hash(sessionId),
            Reference = Guid.CreateVersion7(),
            UserId = account.Id,
            Role = account.Role,
            StartedAt = now,
            LastSeenAt = now,
            IpAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, UserAgentKept)],
        }, sessionId);
    }

    /// <summary>Where the session stands now by its limits (an ended record is <see cref="SessionVerdict.Ended"/>).</summary>
    public SessionCheck Check(SignInSessionOptions options, DateTimeOffset now)
    {
        if (!IsOpen) return SessionCheck.Ended;
        var idle = options.IdleTimeoutFor(Role);
        var check = new SessionCheck(SessionVerdict.Open, LastSeen + idle, StartedAt + options.AbsoluteLifetime, idle);
        if (now > check.LifetimeDeadline) return check with { Verdict = SessionVerdict.LifetimeOver };
        if (now > check.IdleDeadline) return check with { Verdict = SessionVerdict.IdleTimedOut };
        return check;
    }

    public void End(DateTimeOffset now, string reason)
    {
        EndedAt = now;
        EndReason = reason;
    }
}

/// <summary>The sessions as the host checks them on each request and ends them at sign-out.</summary>
internal sealed class SignInSessions(IDocumentStore store, TimeProvider clock, IOptionsMonitor<SignInSessionOptions> options) : ISignInSessions
{
    public async Task<SessionCheck> CheckAsync(string sessionId, SessionTouch touch, CancellationToken cancellationToken)
    {
        var id = SecretTokens.Hash(sessionId);
        SignInSession? record;
        await using (var query = store.QuerySession())
            record = await query.LoadAsync<SignInSession>(id, cancellationToken);
        if (record is null) return SessionCheck.Ended;

        var now = clock.GetUtcNow();
        var limits = options.CurrentValue;
        var check = record.Check(limits, now);
        if (check.Verdict != SessionVerdict.Open) return check;
        var due = touch == SessionTouch.StaySignedIn
            || (touch == SessionTouch.Activity && now - record.LastSeen >= limits.LastSeenIntervalFor(record.Role));
        if (!due) return check;

        // A patch of the one field, only while the record is open: a request racing a sign-out never reopens it.
        await using var session = store.LightweightSession();
        session.Patch<SignInSession>(s => s.Id == id && s.EndedAt == null).Set(s => s.LastSeenAt, now);
        await session.SaveChangesAsync(cancellationToken);
        return check with { IdleDeadline = now + check.IdleTimeout };
    }

    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<SignInSession>(SecretTokens.Hash(sessionId), cancellationToken);
        if (record is not { IsOpen: true }) return;
        record.End(clock.GetUtcNow(), reason);
        session.Store(record);
        await session.SaveChangesAsync(cancellationToken);
    }
}
