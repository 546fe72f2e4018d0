using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Contacts;

/// <summary>
/// Front office removes a contact: from then on their login no longer acts for this client (Invitations ends their
/// sessions when it hears of the change).
/// </summary>
public static class RemoveContactEndpoint
{
    [WolverineDelete("/api/console/clients/{clientId}/contacts/{contactId}")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Delete(Guid clientId, Guid contactId, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await RemoveContact.ExecuteAsync(clientId, contactId, http, session, clock, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class RemoveContact
{
    public static async Task<(Outcome<bool>, OutgoingMessages)> ExecuteAsync(Guid clientId, Guid contactId, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        await EditLock.LoadLockedAsync<RosterClient>(session, clientId, cancellation);
        if (await ContactRules.LoadAsync(session, user, clientId, cancellation) is not { } loaded)
            return (Refusal.NotFound("client"), []);
        var (client, contacts) = loaded;
        if (contacts.Contacts.RemoveAll(c => c.Id == contactId) == 0) return (Refusal.NotFound("contact"), []);
        var changed = contacts.Changed();
        session.Store(contacts);
        Audit.Record(session, http, clock, "client.contact.removed", "ClientContact", contactId.ToString(), client.Id);
        return (Outcome<bool>.Ok(true, StatusCodes.Status204NoContent), [changed]);
    }
}
