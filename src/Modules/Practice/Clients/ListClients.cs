using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// The caller's clients (a provider) or every client (support), by last name, one page at a time
/// (<c>?page=1&amp;pageSize=50</c>, at most 200 a page), optionally only those whose last name, first name or email
/// starts with <c>search</c> (case-insensitive).
/// </summary>
public static class ListClientsEndpoint
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 200;

    [WolverineGet("/api/console/clients")]
    [Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
    public static async Task<IReadOnlyList<ClientDetails>> Get(
        ClaimsPrincipal principal, IQuerySession session, int? page, int? pageSize, string? search)
    {
        var user = CurrentUser.From(principal)!;
        var size = Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize);
        var skip = (Math.Clamp(page ?? 1, 1, 100_000) - 1) * size;
        var query = session.Query<RosterClient>().AsQueryable();
        if (!user.IsSupport)
        {
            var memberId = user.ProviderId!.Value;
            query = query.Where(c => c.PracticeId == user.PracticeId);
            if (user.StaffRole == StaffRole.Clinician) query = query.Where(c => c.ProviderId == memberId || c.CareTeam.Contains(memberId));
        }
        if (search?.Trim() is { Length: > 0 } term)
        {
            term = term.Length > 100 ? term[..100] : term;
            query = query.Where(c => c.LastName.StartsWith(term, StringComparison.OrdinalIgnoreCase)
                || c.FirstName.StartsWith(term, StringComparison.OrdinalIgnoreCase)
                || c.Email.StartsWith(term, StringComparison.OrdinalIgnoreCase));
        }
        var clients = await query.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Skip(skip).Take(size).ToListAsync();
        return clients.Select(GetClientEndpoint.ToDetails).ToList();
    }
}
