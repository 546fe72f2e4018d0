using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Roster;
using Wolverine.Http;

namespace Portal.Insurance.Photos;

/// <summary>A card photo, served only to the client it belongs to and to that client's own provider; anyone else gets 404.</summary>
public static class GetCardPhotoEndpoint
{
    [WolverineGet("/api/insurance/photos/{photoId}")]
    [Authorize]
    public static async Task<IResult> Get(Guid photoId, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        var photo = await CardPhotoStore.LoadAsync(session, photoId, cancellation);
        var card = photo is null ? null : await session.LoadAsync<InsuranceClient>(photo.ClientId, cancellation);
        if (user is null || photo is null || card is null || !card.IsOwnedBy(user))
        {
            Audit.Record(session, http, clock, "insurance.photo.read", "CardPhoto", photoId.ToString(), card?.Id, "refused");
            await session.SaveChangesAsync(cancellation);
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such photo.");
        }

        Audit.Record(session, http, clock, "insurance.photo.read", "CardPhoto", photoId.ToString(), card.Id);
        await session.SaveChangesAsync(cancellation);
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.File(photo.Content, photo.ContentType);
    }
}
