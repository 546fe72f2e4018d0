using Portal.Invitations.Accounts;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.Members;

/// <summary>
/// Ends every open session of a member's account when an owner changes their role or deactivates them: each cookie
/// is refused from its next request, and a new sign-in carries the new role (or is refused).
/// </summary>
internal static class MemberSessions
{
    /// <summary>Who the audit names for what the portal does on its own, on an owner's change made elsewhere.</summary>
    public static readonly CurrentUser System = new("system", Guid.Empty, "Portal", null, null, null);

    public static async Task EndAllAsync(IDocumentSession session, Account account, TimeProvider clock, string reason)
    {
        var open = await session.Query<SignInSession>().Where(s => s.UserId == account.Id && s.EndedAt == null).ToListAsync();
        if (open.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var record in open)
        {
            record.End(now, reason);
            session.Store(record);
        }
        Audit.Record(session, null, clock, "account.sessions-ended", nameof(Account), account.Id.ToString(), outcome: $"{reason}: {open.Count}",
            actor: System);
    }
}
