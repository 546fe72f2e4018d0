using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Console;

/// <summary>The provider removes a client's plan (DELETE ...?expectedVersion=N); recorded as the provider's change.</summary>
public static class RemoveClientPlanEndpoint
{
    [WolverineDelete("/api/console/clients/{clientId}/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Delete(Guid clientId, string rank, long? expectedVersion, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, user, clientId, cancellation);
        if (card is null) return refusal!.ToResult();
        if (InsuranceDesk.ParseRank(rank) is not { } planRank) return DeskOutcome.NotFound("Plans are primary or secondary.").ToResult();
        if (expectedVersion is not { } version) return RemoveMyPlanEndpoint.MissingVersion();
        return (await InsuranceDesk.RemovePlanAsync(session, bus, clock, http, card, user.AsActor(), planRank, version, cancellation)).ToResult();
    }
}
