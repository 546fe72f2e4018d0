using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Photos;

/// <summary>
/// The client uploads the front or back of a plan's card (POST /api/insurance/plans/primary/photos/front, multipart
/// "file" + "expectedVersion"). The type is checked from the content; location and other metadata are removed.
/// </summary>
public static class UploadMyCardPhotoEndpoint
{
    [WolverinePost("/api/insurance/plans/{rank}/photos/{side}")]
    [Consumes("multipart/form-data")] // an upload: OpenAPI and the security suites see it as one; other bodies get 415
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(string rank, string side, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (InsuranceDesk.ParseRank(rank) is not { } planRank || InsuranceDesk.ParseSide(side) is not { } cardSide)
            return DeskOutcome.NotFound("Card photos belong to the primary or secondary plan, front or back.").ToResult();
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.ClientMayChangeAsync(session, user, cancellation);
        if (card is null) return refusal!.ToResult();
        return await UploadAsync(session, bus, clock, http, card, user.AsActor(), planRank, cardSide, cancellation);
    }

    internal static async Task<IResult> UploadAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http,
        Roster.InsuranceClient card, Portal.Contracts.Actor actor, Portal.Contracts.PlanRank rank, CardSide side, CancellationToken cancellation)
    {
        var (file, version, formRefusal) = await PhotoUpload.ReadFormAsync(http.Request, cancellation);
        if (formRefusal is not null) return formRefusal.ToResult();
        var (image, imageRefusal) = await PhotoUpload.ReadAsync(file, cancellation);
        if (image is null) return imageRefusal!.ToResult();
        return (await InsuranceDesk.AttachPhotoAsync(session, bus, clock, http, card, actor, rank, side, image, version!.Value, cancellation)).ToResult();
    }
}
