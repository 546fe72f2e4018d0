using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine.Http;

namespace Portal.Insurance.Console;

/// <summary>A client's insurance for their provider: plans, photos, review status, "Last Updated" and history.</summary>
public static class GetClientInsuranceEndpoint
{
    [WolverineGet("/api/console/clients/{clientId}/insurance")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(Guid clientId, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, CurrentUser.From(principal)!, clientId, cancellation);
        if (card is null) return refusal!.ToResult();
        var view = await InsuranceDesk.ReadAsync(session, clock, http, card, cancellation);
        await session.SaveChangesAsync(cancellation);
        return Results.Ok(view);
    }
}
