using Portal.BuildingBlocks.Auditing;
using Portal.Insurance.Roster;

namespace Portal.Insurance.Photos;

/// <summary>A card photo, served only to the client it belongs to and to that client's own provider; anyone else gets 404.</summary>
public static class GetCardPhotoEndpoint
{
    /// <summary>Loads the photo for those who may see it; every read is audited, a refused one too.</summary>
    public static async Task<(StoredPhoto?, IResult)> LoadAsync(Guid photoId, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var photo = await CardPhotoStore.LoadAsync(session, photoId, http.RequestAborted);
        var card = photo is null ? null : await session.LoadAsync<InsuranceClient>(photo.ClientId, http.RequestAborted);
        var seen = card is not null && CurrentUser.From(http.User) is { } user && card.IsOwnedBy(user);
        Audit.Record(session, http, clock, "insurance.photo.read", "CardPhoto", photoId.ToString(), card?.Id, seen ? null : "refused");
        await session.SaveChangesAsync(http.RequestAborted);
        return seen
            ? (photo, WolverineContinue.Result())
            : (null, new Refusal(StatusCodes.Status404NotFound, "No such photo.").ToProblem(http));
    }

    [WolverineGet("/api/insurance/photos/{photoId}")]
    [Authorize]
    public static IResult Get([NotBody] StoredPhoto photo, HttpContext http)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.File(photo.Content, photo.ContentType);
    }
}
