using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Data;
using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Contacts;

/// <summary>
/// A contact's activation link, under the client's invitation rules (<see cref="ActivationLink"/>): the date of birth
/// asked is the client's, which the parent knows. Kept apart from the client's own invitations so neither replaces the
/// other.
/// </summary>
public sealed class ContactInvitation : ActivationLink
{
    public Guid ContactId { get; set; }
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

        var email = await ContactInvitations.IssueAsync(session, client, contact, clock.GetUtcNow(), protection, configuration,
            http.RequestAborted);
        Audit.Record(session, http, clock, "invitation.contact-sent", "ContactInvitation", email.InvitationId.ToString(), clientId);
        return (new ContactInvitationSent(email.InvitationId, contact.Email, email.ExpiresAt), [email]);
    }
}

/// <summary>
/// Issues contacts' invitations through the one path every activation link takes (<see cref="InvitationSender.IssueLink{T}"/>),
/// and the automatic one: a record whose client gets no invitation of their own (no email yet, or younger than the
/// practice's own-login age) invites its parents and guardians when tasks are asked, by the client's rules: eligible
/// only, once while a link is pending, never again after a blocked link until the practice sends a new one.
/// </summary>
internal static class ContactInvitations
{
    public static async Task<InvitationEmailRequested> IssueAsync(IDocumentSession session, InvitationsClient client, ClientContactFacts contact,
        DateTimeOffset now, IDataProtectionProvider protection, IConfiguration configuration, CancellationToken cancellation)
    {
        var open = await session.Query<ContactInvitation>()
            .Where(i => i.ClientId == client.Id && i.ContactId == contact.ContactId && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync(cancellation);
        return InvitationSender.IssueLink(session, new ContactInvitation { ClientId = client.Id, ContactId = contact.ContactId, Email = contact.Email },
            open, now, FirstName(contact.Name), client.PracticeName, protection, configuration) with { PracticeId = client.PracticeId };
    }

    public static bool IsGuardian(ClientContactFacts contact) =>
        contact.Relationship is ContactRelationship.Parent or ContactRelationship.LegalGuardian;

    /// <summary>Invites the guardians of <paramref name="clients"/> (eligible, no own invitation) where the rules allow.</summary>
    public static async Task InviteGuardiansWhereDueAsync(IDocumentSession session, IReadOnlyCollection<InvitationsClient> clients,
        DateTimeOffset now, Inviting inviting, CancellationToken cancellation)
    {
        if (clients.Count == 0) return;
        var ids = clients.Select(c => c.Id).ToArray();
        var contacts = (await session.LoadManyAsync<InvitationsContacts>(cancellation, ids)).ToDictionary(c => c.Id);
        if (contacts.Values.All(c => !c.Contacts.Any(IsGuardian))) return;
        var acting = (await session.Query<Account>().Where(a => a.Active && a.ActsFor.Any(f => ids.Contains(f.ClientId))).ToListAsync(cancellation))
            .SelectMany(a => a.ActsFor).ToHashSet();
        var open = (await session.Query<ContactInvitation>()
                .Where(i => ids.Contains(i.ClientId) && i.UsedAt == null && i.ReplacedAt == null)
                .ToListAsync(cancellation))
            .ToLookup(i => (i.ClientId, i.ContactId));
        foreach (var client in clients)
        {
            foreach (var guardian in contacts.GetValueOrDefault(client.Id)?.Contacts.Where(IsGuardian) ?? [])
            {
                var links = open[(client.Id, guardian.ContactId)].ToList();
                if (acting.Contains(new ActingFor(client.Id, guardian.ContactId)) || links.Any(i => i.IsBlocked || i.IsPending(now)))
                    continue;
                inviting.Issued.AddContact(InvitationSender.IssueLink(session,
                    new ContactInvitation { ClientId = client.Id, ContactId = guardian.ContactId, Email = guardian.Email },
                    links, now, FirstName(guardian.Name), client.PracticeName, inviting.Protection, inviting.Configuration)
                    with { PracticeId = client.PracticeId });
            }
        }
    }

    private static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
}
