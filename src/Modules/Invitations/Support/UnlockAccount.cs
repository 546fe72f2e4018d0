using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Support;

/// <summary>
/// Support unlocks a client's account (the other unlock paths: wait until the lock ends, or use a password reset link,
/// which the AccountLocked email points to). A lock still running ends now, and the provider's client list is told.
/// </summary>
public static class UnlockAccountEndpoint
{
    [WolverinePost("/api/support/clients/{clientId}/unlock")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await UnlockAsync(clientId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<Account>, OutgoingMessages)> UnlockAsync(
        Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == clientId);
        if (account is null) return (new Refusal(StatusCodes.Status404NotFound, "This client has no account."), []);
        var now = clock.GetUtcNow();
        var wasLocked = account.IsLocked(now);
        OutgoingMessages messages = account.ClearLock(now) is { } lockEnded ? [lockEnded] : [];
        Lockout.Forget(account.Email);
        session.Store(account);
        // Who and when: the entry carries support's id and role and the time; the outcome says whether a lock ended.
        Audit.Record(session, http, clock, "account.unlocked", "Account", account.Id.ToString(), clientId,
            wasLocked ? "lock-ended" : "was-not-locked");
        return (Outcome<Account>.Ok(account, StatusCodes.Status204NoContent), messages);
    }
}
