using Portal.Invitations.Accounts;

namespace Portal.Invitations.Sessions;

/// <summary>
/// One signed-in session, from sign-in until it ends. The cookie carries a random session id; this record is kept
/// under the id's SHA-256 hash (so the table holds nothing a cookie could be made from), and the cookie is honoured
/// only while the record is open. Whatever later limits a session (idle time, a list where a person ends their other
/// sessions) decides here, by ending the record.
/// </summary>
public sealed class SignInSession
{
    /// <summary>The SHA-256 hash of the session id in the cookie.</summary>
    public string Id { get; set; } = string.Empty;
    public Guid UserId { get; set; }
    public string Role { get; set; } = string.Empty;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Why it ended: "signed-out", "session-expired".</summary>
    public string? EndReason { get; set; }

    public bool IsOpen => EndedAt is null;

    /// <summary>A new session for the account; returns the record to store and the id for the cookie.</summary>
    public static (SignInSession Record, string SessionId) Start(Account account, DateTimeOffset now)
    {
        var sessionId = SecretTokens.New();
        return (new SignInSession { Id = SecretTokens.Hash(sessionId), UserId = account.Id, Role = account.Role, StartedAt = now }, sessionId);
    }
}

/// <summary>The sessions as the host checks them on each request and ends them at sign-out.</summary>
internal sealed class SignInSessions(IDocumentStore store, TimeProvider clock) : ISignInSessions
{
    public async Task<bool> IsOpenAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var record = await query.LoadAsync<SignInSession>(SecretTokens.Hash(sessionId), cancellationToken);
        return record is { IsOpen: true };
    }

    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<SignInSession>(SecretTokens.Hash(sessionId), cancellationToken);
        if (record is not { IsOpen: true }) return;
        record.EndedAt = clock.GetUtcNow();
        record.EndReason = reason;
        session.Store(record);
        await session.SaveChangesAsync(cancellationToken);
    }
}
