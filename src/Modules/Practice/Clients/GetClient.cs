using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

public sealed record ClientDetails(Guid ClientId, Guid ProviderId, Guid PracticeId, string FirstName, string LastName, string Email,
    DateOnly DateOfBirth, bool Eligible, bool? EligibilityOverride, bool HasActiveAccount, long Version)
{
    /// <summary>"insurance" or "selfPay"; null until the practice says.</summary>
    public ClientBilling? Billing { get; init; }
}

/// <summary>The roster entry of one client, for their provider or support; anyone else is told it does not exist.</summary>
public static class GetClientEndpoint
{
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<ClientDetails>(StatusCodes.Status200OK)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverineGet("/api/console/clients/{clientId}")]
    [Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
    public static async Task<IResult> Get(Guid clientId, ClaimsPrincipal principal, IDocumentSession session)
    {
        var user = CurrentUser.From(principal)!;
        var client = await session.LoadAsync<RosterClient>(clientId);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return Results.Problem(statusCode: 404, title: "No such client.");
        return Results.Ok(ToDetails(client));
    }

    internal static ClientDetails ToDetails(RosterClient c) =>
        new(c.Id, c.ProviderId, c.PracticeId, c.FirstName, c.LastName, c.Email, c.DateOfBirth, c.Eligible, c.EligibilityOverride,
            c.HasActiveAccount, c.Version) { Billing = c.Billing };
}
