using Portal.BuildingBlocks.Auditing;
using Portal.Insurance.Roster;

namespace Portal.Insurance.Photos;

/// <summary>
/// A card photo, served only to the client it belongs to, to that client's own provider, and to support under a
/// break-glass grant (403 without one); anyone else gets 404.
/// </summary>
public static class GetCardPhotoEndpoint
{
    /// <summary>Loads the photo for those who may see it; every read is audited, a refused one too.</summary>
    public static async Task<(StoredPhoto?, IResult)> LoadAsync(Guid photoId, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var photo = await CardPhotoStore.LoadAsync(session, photoId, http.RequestAborted);
        var card = photo is null ? null : await session.LoadAsync<InsuranceClient>(photo.ClientId, http.RequestAborted);
        var refusal = await InsuranceAccess.MaySeeAsync(card, http);
        Audit.Record(session, http, clock, "insurance.photo.read", "CardPhoto", photoId.ToString(), card?.Id,
            refusal is null ? null : refusal.Status == StatusCodes.Status403Forbidden ? "break-glass-required" : "refused");
        await session.SaveChangesAsync(http.RequestAborted);
        if (refusal is null) return (photo, WolverineContinue.Result());
        return (null, (refusal.Status == StatusCodes.Status403Forbidden
            ? refusal
            : new Refusal(StatusCodes.Status404NotFound, "No such photo.")).ToProblem(http));
    }

    [WolverineGet("/api/insurance/photos/{photoId}")]
    [Authorize]
    public static IResult Get([NotBody] StoredPhoto photo, HttpContext http)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.File(photo.Content, photo.ContentType);
    }
}
