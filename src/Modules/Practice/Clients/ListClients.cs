using Marten;
using Microsoft.AspNetCore.Authorization;
using System.Security.Claims;
using Portal.BuildingBlocks.Security;
using Portal.Practice.Roster;
using Wolverine.Http;

namespace Portal.Practice.Clients;

/// <summary>The caller's clients (a provider) or every client (support), by last name.</summary>
public static class ListClientsEndpoint
{
    [WolverineGet("/api/console/clients")]
    [Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IReadOnlyList<ClientDetails>> Get(ClaimsPrincipal principal, IQuerySession session)
    {
        var user = CurrentUser.From(principal)!;
        var query = session.Query<RosterClient>().AsQueryable();
        if (!user.IsSupport) query = query.Where(c => c.ProviderId == user.ProviderId);
        var clients = await query.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ToListAsync();
        return clients.Select(GetClientEndpoint.ToDetails).ToList();
    }
}
