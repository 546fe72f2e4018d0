using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Plans;

/// <summary>The client removes a plan (DELETE /api/insurance/plans/secondary?expectedVersion=3), with its card photos.</summary>
public static class RemoveMyPlanEndpoint
{
    [WolverineDelete("/api/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Delete(string rank, long? expectedVersion, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (InsuranceDesk.ParseRank(rank) is not { } planRank) return DeskOutcome.NotFound("Plans are primary or secondary.").ToResult();
        if (expectedVersion is not { } version) return MissingVersion();
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.ClientMayChangeAsync(session, user, cancellation);
        if (card is null) return refusal!.ToResult();
        return (await InsuranceDesk.RemovePlanAsync(session, bus, clock, http, card, user.AsActor(), planRank, version, cancellation)).ToResult();
    }

    internal static IResult MissingVersion() => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["expectedVersion"] = ["Send the version of the insurance you are changing."] },
        title: "The request has invalid fields.");
}
