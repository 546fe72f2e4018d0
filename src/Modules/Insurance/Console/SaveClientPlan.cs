using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Console;

/// <summary>
/// The provider enters or corrects a client's plan themselves (for a client without an account, or from a card the
/// client brought in). Recorded as the provider's change.
/// </summary>
public static class SaveClientPlanEndpoint
{
    [WolverinePut("/api/console/clients/{clientId}/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid clientId, string rank, SavePlanRequest request, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, user, clientId, cancellation);
        if (card is null) return refusal!.ToResult();
        if (InsuranceDesk.ParseRank(rank) is not { } planRank) return DeskOutcome.NotFound("Plans are primary or secondary.").ToResult();
        return (await InsuranceDesk.SavePlanAsync(session, bus, clock, http, card, user.AsActor(), planRank, request, [], cancellation)).ToResult();
    }
}
