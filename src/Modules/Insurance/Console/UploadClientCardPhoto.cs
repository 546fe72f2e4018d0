using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Photos;
using Portal.Insurance.Plans;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Console;

/// <summary>The provider uploads a card photo for their client (multipart "file" + "expectedVersion").</summary>
public static class UploadClientCardPhotoEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/photos/{side}")]
    [Consumes("multipart/form-data")] // an upload: OpenAPI and the security suites see it as one; other bodies get 415
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid clientId, string rank, string side, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, user, clientId, cancellation);
        if (card is null) return refusal!.ToResult();
        if (InsuranceDesk.ParseRank(rank) is not { } planRank || InsuranceDesk.ParseSide(side) is not { } cardSide)
            return DeskOutcome.NotFound("Card photos belong to the primary or secondary plan, front or back.").ToResult();
        return await UploadMyCardPhotoEndpoint.UploadAsync(session, bus, clock, http, card, user.AsActor(), planRank, cardSide, cancellation);
    }
}
