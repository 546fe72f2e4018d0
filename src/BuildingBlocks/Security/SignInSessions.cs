namespace Portal.BuildingBlocks.Security;

/// <summary>
/// The server side of a signed-in session. The cookie alone is not enough: the host asks here on every request
/// whether the session its <see cref="PortalClaims.SessionId"/> names is still open, so a session ended here (by
/// signing out) refuses its cookie everywhere, including copies of it. Implemented by the accounts module.
/// </summary>
public interface ISignInSessions
{
    /// <summary>Whether the session is known and not ended.</summary>
    Task<bool> IsOpenAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Ends the session for good (idempotent); <paramref name="reason"/> says why, for example "signed-out".</summary>
    Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken);
}
