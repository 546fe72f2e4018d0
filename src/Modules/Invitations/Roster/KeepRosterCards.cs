using JasperFx;
using Microsoft.Extensions.Logging;
using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Members;
using Wolverine.Attributes;

namespace Portal.Invitations.Roster;

/// <summary>
/// Keeps this module's copies of the roster current. A new provider gets a provider account straight away (without a
/// password: support sets one, or the provider uses a reset link); a provider's email change follows to the account.
/// </summary>
public static class KeepRosterCardsHandler
{
    /// <summary>
    /// A task requested before this copy knew the client left an <see cref="InvitationAwaitingRoster"/>: the invitation
    /// is decided now, as it would have been had the copy come first. Under the client's edit lock, which the task's
    /// handler takes too, so whichever of the two comes second sees what the first committed.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(ClientRosterChanged message, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation)
    {
        var batch = await EditLock.LockedBatchAsync<InvitationsClient>(session, message.ClientId, cancellation);
        var cardLoad = batch.Load<InvitationsClient>(message.ClientId);
        var awaitingLoad = batch.Load<InvitationAwaitingRoster>(message.ClientId);
        await batch.Execute(cancellation);

        var card = await cardLoad ?? new InvitationsClient();
        var wasDischarged = card.Discharged;
        if (!card.Apply(message)) return [];
        session.Store(card);
        // A discharge closes the client's access here, once (a replay finds the card already discharged).
        var closed = card.Discharged && !wasDischarged
            ? await DischargeClosesAccess.CloseAsync(session, card, clock, cancellation)
            : new OutgoingMessages();

        if (await awaitingLoad is not { } awaiting) return closed;
        session.Delete(awaiting);
        var issued = new IssuedInvitations();
        await InvitationSender.InviteWhereDueAsync(
            session, [card], clock.GetUtcNow(), new Inviting(protection, configuration, logger, issued), cancellation);
        var messages = issued.ToMessages();
        messages.AddRange(closed);
        return messages;
    }

    /// <summary>
    /// Two roster messages about a new provider (created, then switched on) can be handled at the same time; both
    /// create the account and the second commit breaks the unique email. Handled again, it finds the account.
    /// </summary>
    [RetryNow(typeof(DocumentAlreadyExistsException), 50, 100, 250)]
    public static async Task Handle(ProviderRosterChanged message, IDocumentSession session, TimeProvider clock)
    {
        var card = await session.LoadAsync<InvitationsProvider>(message.ProviderId) ?? new InvitationsProvider { Id = message.ProviderId };
        if (message.Version < card.Version) return;
        card.PracticeId = message.PracticeId;
        card.PracticeName = message.PracticeName;
        card.Name = message.Name;
        card.Email = message.Email;
        card.PortalEnabled = message.PortalEnabled;
        card.Role = message.Role;
        card.Active = message.Active;
        card.Version = message.Version;
        session.Store(card);

        var existing = await session.Query<Account>().FirstOrDefaultAsync(a => a.ProviderId == message.ProviderId);
        var account = existing ?? new Account
            {
                Id = Guid.CreateVersion7(), Role = PortalRoles.Provider, ProviderId = message.ProviderId, CreatedAt = clock.GetUtcNow()
            };
        // An account made before staff roles gets its role from the roster's upgrade (AssignPreRolesMemberRoles).
        if (existing is { StaffRole: null })
            Audit.Record(session, null, clock, "account.staff-role-assigned", nameof(Account), account.Id.ToString(),
                outcome: $"none->{message.Role}", actor: MemberSessions.System);
        // A cookie carries the role it was issued with: a new role, or a deactivation, ends every open session now.
        var roleChanged = account.StaffRole is { } before && before != message.Role;
        if (roleChanged || !message.Active)
            await MemberSessions.EndAllAsync(session, account, clock, roleChanged ? "role-changed" : "member-deactivated");
        account.Email = message.Email.Trim().ToLowerInvariant();
        account.PracticeId = message.PracticeId;
        account.StaffRole = message.Role;
        account.Deactivated = !message.Active;
        account.DisplayName = message.Name;
        account.FirstName = message.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? message.Name;
        session.Store(account);
    }
}
