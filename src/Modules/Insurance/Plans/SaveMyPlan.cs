using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Plans;

/// <summary>
/// The client adds or updates their primary or secondary plan (PUT /api/insurance/plans/primary). Only with an active
/// portal account; the provider is told through <see cref="Portal.Contracts.InsuranceChanged"/>.
/// </summary>
public static class SaveMyPlanEndpoint
{
    [WolverinePut("/api/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Put(string rank, SavePlanRequest request, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (InsuranceDesk.ParseRank(rank) is not { } planRank) return DeskOutcome.NotFound("Plans are primary or secondary.").ToResult();
        var user = CurrentUser.From(principal)!;
        var (card, stream, refusal) = await InsuranceDesk.ClientMayChangeForWritingAsync(session, user, cancellation);
        if (card is null || stream is null) return refusal!.ToResult();
        var outcome = await InsuranceDesk.SavePlanAsync(session, bus, clock, http, card, stream, user.AsActor(), planRank, request, []);
        return outcome.ToResult();
    }
}
