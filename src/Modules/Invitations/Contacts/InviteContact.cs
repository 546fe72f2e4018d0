using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Data;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Contacts;

/// <summary>
/// One emailed activation link for a contact of a client, under the client's invitation rules: single use, 5 days,
/// only the token's SHA-256 hash stored, closed after 3 wrong dates of birth (the client's, which the parent knows), a
/// new one replaces the pending one. Kept apart from the client's own invitations so neither replaces the other.
/// </summary>
public sealed class ContactInvitation
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ContactId { get; set; }
    public string Email { get; set; } = string.Empty;
    public string TokenHash { get; set; } = string.Empty;
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? ReplacedAt { get; set; }
    public int FailedChecks { get; set; }
    public DateTimeOffset? BlockedAt { get; set; }

    public bool IsPending(DateTimeOffset now) => UsedAt is null && ReplacedAt is null && BlockedAt is null && now < ExpiresAt;
}

internal sealed record ContactInvitationSent(Guid InvitationId, string Email, DateTimeOffset ExpiresAt);

/// <summary>
/// Front office (or support) invites a contact to act for a client through the portal. The client must be eligible;
/// a contact whose login already acts for the client gets nothing (409).
/// </summary>
public static class InviteContactEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/contacts/{contactId}/invitation")]
    [Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, Guid contactId, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var (outcome, messages) = await SendAsync(clientId, contactId, http, session, clock, protection, configuration);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<ContactInvitationSent>, OutgoingMessages)> SendAsync(Guid clientId, Guid contactId,
        HttpContext http, IDocumentSession session, TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var user = CurrentUser.From(http.User)!;
        if (await RosterArrival.CardAsync<InvitationsClient>(session.DocumentStore, clientId, http.RequestAborted) is null)
            return (Refusal.NotFound("client"), []);
        var client = await EditLock.LoadLockedAsync<InvitationsClient>(session, clientId, http.RequestAborted);
        if (client is null || !client.IsVisibleTo(user)) return (Refusal.NotFound("client"), []);
        var contact = (await session.LoadAsync<InvitationsContacts>(clientId, http.RequestAborted))?.Contacts
            .SingleOrDefault(c => c.ContactId == contactId);
        if (contact is null) return (Refusal.NotFound("contact"), []);
        if (!client.Eligible)
            return (Refusal.Conflict("This client is not eligible for the portal, so no one can act for them there.")
                .With("reason", "NotEligible"), []);
        if (await session.Query<Account>().AnyAsync(a => a.Active && a.ActsFor.Any(f => f.ClientId == clientId && f.ContactId == contactId)))
            return (Refusal.Conflict("This contact already acts for the client in the portal.").With("reason", "AlreadyActive"), []);

        var now = clock.GetUtcNow();
        var open = await session.Query<ContactInvitation>()
            .Where(i => i.ClientId == clientId && i.ContactId == contactId && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync(http.RequestAborted);
        foreach (var old in open)
        {
            old.ReplacedAt = now;
            session.Store(old);
        }
        var token = SecretTokens.New();
        var invitation = new ContactInvitation
        {
            Id = Guid.CreateVersion7(),
            ClientId = clientId,
            ContactId = contactId,
            Email = contact.Email,
            TokenHash = SecretTokens.Hash(token),
            SentAt = now,
            ExpiresAt = now + Invites.InvitationSender.ValidFor,
        };
        session.Store(invitation);
        Audit.Record(session, http, clock, "invitation.contact-sent", "ContactInvitation", invitation.Id.ToString(), clientId);
        var firstName = contact.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? contact.Name;
        var link = SecretLinks.Create(protection, configuration, $"/activate?token={token}");
        return (new ContactInvitationSent(invitation.Id, contact.Email, invitation.ExpiresAt),
            [new InvitationEmailRequested(invitation.Id, clientId, contact.Email, firstName, client.PracticeName, link, invitation.ExpiresAt)
                { PracticeId = client.PracticeId }]);
    }
}
