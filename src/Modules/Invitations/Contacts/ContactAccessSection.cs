using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;
using Portal.Invitations.Status;

namespace Portal.Invitations.Contacts;

/// <summary>
/// A client's contacts on their profile: who acts for the client (relationship, what they may do) and each one's
/// portal login (active, invited until when, expired, blocked, not invited), with the invitation's send and resend
/// for the front office and support. Adding a contact and changing what they may do is the roster's page, linked here.
/// A biller sees who the contacts are, not their access.
/// </summary>
[ViewComponent(Name = "ContactAccess")]
public sealed class ContactAccessSection(IQuerySession session, TimeProvider clock) : ClientProfileSection
{
    public override int Order => 62;

    public async Task<IViewComponentResult> InvokeAsync(Guid clientId)
    {
        if (await AccessSectionReader.OfAsync(this, session, clientId) is not { } reader) return Content(string.Empty);
        var card = reader.Card;
        var rows = await ContactAccessReader.ReadAsync(session, card, clock.GetUtcNow(), HttpContext.RequestAborted);
        return View(new ContactAccessSectionView(clientId, card.FirstName, rows, reader.ManagesAccess, CanEdit: reader.CanAct));
    }
}

internal sealed record ContactAccessSectionView(Guid ClientId, string ClientFirstName, IReadOnlyList<ContactAccess> Contacts,
    bool ManagesAccess, bool CanEdit);

/// <summary>One contact of a client and their portal login, as the practice sees it.</summary>
internal sealed record ContactAccess(Guid ContactId, string Name, string Email, string Relationship, string Permissions, string Status,
    DateTimeOffset? InvitationExpiresAt)
{
    /// <summary>The invitation button's words for this status, or null when there is nothing to send.</summary>
    public string? InviteLabel => Status switch
    {
        nameof(ContactLoginStatus.NotInvited) => "Send invitation",
        nameof(ContactLoginStatus.Invited) or nameof(ContactLoginStatus.InvitationExpired) => "Resend invitation",
        nameof(ContactLoginStatus.ActivationBlocked) => "Send a new invitation",
        _ => null,
    };

    public string StatusText => Status switch
    {
        nameof(ContactLoginStatus.Active) => "Login active",
        nameof(ContactLoginStatus.Invited) => "Invited",
        nameof(ContactLoginStatus.InvitationExpired) => "Invitation expired",
        nameof(ContactLoginStatus.ActivationBlocked) => "Activation blocked",
        nameof(ContactLoginStatus.NotEligible) => "Portal not open",
        _ => "Not invited",
    };
}

internal enum ContactLoginStatus
{
    NotEligible,
    NotInvited,
    Invited,
    InvitationExpired,
    ActivationBlocked,
    Active,
}

internal static class ContactAccessReader
{
    public static async Task<IReadOnlyList<ContactAccess>> ReadAsync(IQuerySession session, InvitationsClient card, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var contacts = (await session.LoadAsync<InvitationsContacts>(card.Id, cancellation))?.Contacts ?? [];
        if (contacts.Count == 0) return [];
        var acting = (await session.Query<Account>().Where(a => a.Active && a.ActsFor.Any(f => f.ClientId == card.Id)).ToListAsync(cancellation))
            .SelectMany(a => a.ActsFor).ToHashSet();
        var latest = (await session.Query<ContactInvitation>().Where(i => i.ClientId == card.Id).ToListAsync(cancellation))
            .GroupBy(i => i.ContactId).ToDictionary(g => g.Key, g => g.MaxBy(i => i.SentAt)!);
        return [.. contacts.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(contact =>
        {
            var link = latest.GetValueOrDefault(contact.ContactId);
            var status = acting.Contains(new ActingFor(card.Id, contact.ContactId)) ? ContactLoginStatus.Active
                : !card.Eligible ? ContactLoginStatus.NotEligible
                : link is null ? ContactLoginStatus.NotInvited
                : link.IsBlocked ? ContactLoginStatus.ActivationBlocked
                : link.IsPending(now) ? ContactLoginStatus.Invited
                : ContactLoginStatus.InvitationExpired;
            return new ContactAccess(contact.ContactId, contact.Name, contact.Email, ContactRelationships.Describe(contact.Relationship),
                Permissions(contact), status.ToString(), status == ContactLoginStatus.Invited ? link!.ExpiresAt : null);
        })];
    }

    public static string Permissions(ClientContactFacts contact) => string.Join(", ", new[]
    {
        contact.CompletesTasks ? "completes tasks" : null,
        contact.SeesResults ? "sees results" : null,
        contact.ReceivesEmails ? "receives emails" : null,
    }.OfType<string>().DefaultIfEmpty("reads only"));
}
