using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Contacts;

/// <summary>
/// Front office adds a person who may act for a client: a parent or guardian of a minor, a partner in couples therapy.
/// What they may do is theirs to set; a contact gets a login only through an invitation, as a client does.
/// </summary>
public sealed record AddContactRequest(string Name, string Email, ContactRelationship Relationship,
    bool CompletesTasks = true, bool SeesResults = false, bool ReceivesEmails = true) : IContactFields;

internal sealed class AddContactValidator : AbstractValidator<AddContactRequest>
{
    public AddContactValidator() => ContactRules.Apply(this);
}

public static class AddContactEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/contacts")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, AddContactRequest request, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await AddContact.ExecuteAsync(clientId, request, http, session, clock, cancellation);
        return (outcome.ToResult(http, added => Results.Created($"/api/console/clients/{clientId}/contacts", added)), messages);
    }
}

internal static class AddContact
{
    public static async Task<(Outcome<ContactView>, OutgoingMessages)> ExecuteAsync(Guid clientId, AddContactRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        // One editor of a client's contacts at a time: two adds of the same person never both pass the check below.
        await EditLock.LoadLockedAsync<RosterClient>(session, clientId, cancellation);
        if (await ContactRules.LoadAsync(session, user, clientId, cancellation) is not { } loaded)
            return (Refusal.NotFound("client"), []);
        var (client, contacts) = loaded;
        var email = EmailAddress.Normalize(request.Email);
        if (ContactRules.Check(client, contacts, email, null) is { } refusal) return (refusal, []);

        var contact = contacts.Add(request.Name, email, request.Relationship, request.CompletesTasks, request.SeesResults,
            request.ReceivesEmails);
        var changed = contacts.Changed();
        session.Store(contacts);
        Audit.Record(session, http, clock, "client.contact.added", "ClientContact", contact.Id.ToString(), client.Id);
        var views = await ContactRules.ViewsAsync(session, client, contacts, cancellation);
        return (Outcome<ContactView>.Ok(views.Single(v => v.ContactId == contact.Id), StatusCodes.Status201Created), [changed]);
    }
}
