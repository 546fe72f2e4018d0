using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Contacts;

/// <summary>Front office changes a contact's name, email, relationship or what they may do.</summary>
public sealed record UpdateContactRequest(string Name, string Email, ContactRelationship Relationship,
    bool CompletesTasks, bool SeesResults, bool ReceivesEmails) : IContactFields;

internal sealed class UpdateContactValidator : AbstractValidator<UpdateContactRequest>
{
    public UpdateContactValidator() => ContactRules.Apply(this);
}

public static class UpdateContactEndpoint
{
    [WolverinePut("/api/console/clients/{clientId}/contacts/{contactId}")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Put(Guid clientId, Guid contactId, UpdateContactRequest request,
        ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await UpdateContact.ExecuteAsync(clientId, contactId, request, http, session, clock, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class UpdateContact
{
    public static async Task<(Outcome<ContactView>, OutgoingMessages)> ExecuteAsync(Guid clientId, Guid contactId,
        UpdateContactRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        await EditLock.LoadLockedAsync<RosterClient>(session, clientId, cancellation);
        if (await ContactRules.LoadAsync(session, user, clientId, cancellation) is not { } loaded)
            return (Refusal.NotFound("client"), []);
        var (client, contacts) = loaded;
        var contact = contacts.Contacts.SingleOrDefault(c => c.Id == contactId);
        if (contact is null) return (Refusal.NotFound("contact"), []);
        var email = EmailAddress.Normalize(request.Email);
        if (ContactRules.Check(client, contacts, email, contactId) is { } refusal) return (refusal, []);

        contact.Name = request.Name.Trim();
        contact.Email = email;
        contact.Relationship = request.Relationship;
        contact.CompletesTasks = request.CompletesTasks;
        contact.SeesResults = request.SeesResults;
        contact.ReceivesEmails = request.ReceivesEmails;
        var changed = contacts.Changed();
        session.Store(contacts);
        Audit.Record(session, http, clock, "client.contact.changed", "ClientContact", contact.Id.ToString(), client.Id);
        var views = await ContactRules.ViewsAsync(session, client, contacts, cancellation);
        return (views.Single(v => v.ContactId == contactId), [changed]);
    }
}
