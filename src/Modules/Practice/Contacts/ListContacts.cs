using System.Security.Claims;

namespace Portal.Practice.Contacts;

/// <summary>A client's contacts, for any member who may see the client.</summary>
public static class ListContactsEndpoint
{
    [WolverineGet("/api/console/clients/{clientId}/contacts")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<IResult> Get(Guid clientId, ClaimsPrincipal principal, IDocumentSession session, HttpContext http,
        CancellationToken cancellation)
    {
        var outcome = await ListContacts.ReadAsync(clientId, CurrentUser.From(principal)!, session, cancellation);
        return outcome.ToResult(http);
    }
}

internal static class ListContacts
{
    public static async Task<Outcome<IReadOnlyList<ContactView>>> ReadAsync(Guid clientId, CurrentUser user, IDocumentSession session,
        CancellationToken cancellation)
    {
        if (await ContactRules.LoadAsync(session, user, clientId, cancellation) is not { } loaded)
            return Refusal.NotFound("client");
        var (client, contacts) = loaded;
        return Outcome<IReadOnlyList<ContactView>>.Ok(await ContactRules.ViewsAsync(session, client, contacts, cancellation));
    }
}
