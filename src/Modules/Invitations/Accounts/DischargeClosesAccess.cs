using Portal.BuildingBlocks.Auditing;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.Accounts;

/// <summary>
/// What a discharge closes in this module: the client's account (marked closed, so sign-in tells them plainly after
/// the right password), every open sign-in session of it (their cookie is refused at the next request), and every
/// open invitation link. Nothing is deleted. A re-open does not undo this: the client needs a new invitation.
/// </summary>
internal static class DischargeClosesAccess
{
    public const string SessionEndReason = "account-closed";

    public static async Task<OutgoingMessages> CloseAsync(IDocumentSession session, InvitationsClient client, TimeProvider clock,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var messages = new OutgoingMessages();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == client.Id, cancellation);
        if (account is { Active: true })
        {
            account.Active = false;
            account.ClosedAt = now;
            session.Store(account);
            var open = await session.Query<SignInSession>().Where(s => s.UserId == account.Id && s.EndedAt == null).ToListAsync(cancellation);
            foreach (var record in open)
            {
                record.End(now, SessionEndReason);
                session.Store(record);
            }
            Audit.Record(session, null, clock, "account.closed", nameof(Account), account.Id.ToString(), client.Id,
                $"discharged; {open.Count} session(s) ended");
            messages.Add(new ClientAccountStatusChanged(client.Id, false, now));
        }

        // Replaced, as a provider's resend replaces a link: the old links never work again, even after a re-open.
        var links = await session.Query<Invitation>()
            .Where(i => i.ClientId == client.Id && i.UsedAt == null && i.ReplacedAt == null).ToListAsync(cancellation);
        foreach (var link in links)
        {
            link.ReplacedAt = now;
            session.Store(link);
        }
        return messages;
    }
}
