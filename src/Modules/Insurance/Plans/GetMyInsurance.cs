using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Insurance.Plans;

/// <summary>The signed-in client's own insurance: plans, review status, "Last Updated" and history.</summary>
public static class GetMyInsuranceEndpoint
{
    [WolverineGet("/api/insurance")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, user, user.ClientId!.Value, cancellation);
        if (card is null) return refusal!.ToResult();
        var view = await InsuranceDesk.ReadAsync(session, clock, http, card, cancellation);
        await session.SaveChangesAsync(cancellation);
        return Results.Ok(view);
    }
}
