using Microsoft.AspNetCore.Mvc;
using Portal.Contracts;
using Portal.Insurance.Plans;

namespace Portal.Insurance.Photos;

/// <summary>A card photo taken with a plan: the side of the card, and the image cleaned of everything but the picture.</summary>
internal sealed record CardPhoto(CardSide Side, CleanImage Image);

/// <summary>
/// The client uploads the front or back of a plan's card (POST /api/insurance/plans/primary/photos/front, multipart
/// "file" + "expectedVersion"). The type is checked from the content; location and other metadata are removed.
/// </summary>
public static class AttachMyCardPhotoEndpoint
{
    public static async Task<(InsuranceEdit?, IResult)> LoadAsync(string rank, string side, IDocumentSession session, HttpContext http) =>
        AttachCardPhoto.Slot(rank, side) is null
            ? (null, AttachCardPhoto.NoSuchSlot.ToProblem(http))
            : (await InsuranceAccess.ClientEditsAsync(session, http)).ToLoaded(http);

    [WolverinePost("/api/insurance/plans/{rank}/photos/{side}")]
    [Consumes("multipart/form-data")] // an upload: OpenAPI and the security suites see it as one; other bodies get 415
    [Authorize(Policy = PortalPolicies.Client)]
    public static Task<(IResult, InsuranceChanged?)> Post(string rank, string side, [NotBody] InsuranceEdit edit, IDocumentSession session,
        TimeProvider clock) =>
        AttachCardPhoto.AttachAsync(edit, rank, side, session, clock);
}

/// <summary>The provider uploads a card photo for their own client, recorded as the provider's change.</summary>
public static class AttachClientCardPhotoEndpoint
{
    public static async Task<(InsuranceEdit?, IResult)> LoadAsync(Guid clientId, IDocumentSession session, HttpContext http) =>
        (await InsuranceAccess.ProviderEditsAsync(session, http, clientId)).ToLoaded(http);

    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/photos/{side}")]
    [Consumes("multipart/form-data")] // an upload: OpenAPI and the security suites see it as one; other bodies get 415
    [Authorize(Policy = PortalPolicies.Billing)]
    public static Task<(IResult, InsuranceChanged?)> Post(string rank, string side, [NotBody] InsuranceEdit edit, IDocumentSession session,
        TimeProvider clock) =>
        AttachCardPhoto.AttachAsync(edit, rank, side, session, clock);
}

internal static class AttachCardPhoto
{
    public static readonly Refusal NoSuchSlot =
        new(StatusCodes.Status404NotFound, "Card photos belong to the primary or secondary plan, front or back.");

    public static (PlanRank Rank, CardSide Side)? Slot(string rank, string side) =>
        (PlanRanks.Parse(rank), side.ToLowerInvariant()) switch
        {
            ({ } planRank, "front") => (planRank, CardSide.Front),
            ({ } planRank, "back") => (planRank, CardSide.Back),
            _ => null,
        };

    /// <summary>
    /// Reads the upload and attaches the photo to the plan at the version the uploader saw. The answer is the new version;
    /// the <see cref="InsuranceChanged"/> beside it is published by Wolverine when the change commits (none on a refusal).
    /// </summary>
    public static async Task<(IResult, InsuranceChanged?)> AttachAsync(InsuranceEdit edit, string rank, string side, IDocumentSession session,
        TimeProvider clock)
    {
        if (Slot(rank, side) is not { Rank: var planRank, Side: var cardSide }) return Refused(edit, NoSuchSlot);
        var form = await PhotoUpload.ReadFormAsync(edit.Http.Request, edit.Cancellation);
        if (!form.Succeeded) return Refused(edit, form.Refusal);
        var image = await PhotoUpload.ReadAsync(form.Value.File, edit.Cancellation);
        if (!image.Succeeded) return Refused(edit, image.Refusal);
        if (edit.Stale(form.Value.ExpectedVersion) is { } stale) return Refused(edit, stale);
        if (edit.Insurance.Aggregate?.Plan(planRank) is null)
            return Refused(edit, new Refusal(StatusCodes.Status404NotFound,
                $"There is no {planRank.Name()} plan yet: add it before its card photos."));

        var now = clock.GetUtcNow();
        edit.Insurance.AppendOne(Store(edit, planRank, new CardPhoto(cardSide, image.Value), now, session));
        edit.AuditChange(planRank, InsuranceChange.Updated, session, clock);
        return (Results.Json(new SavedInsurance(form.Value.ExpectedVersion + 1)), edit.Changed(planRank, InsuranceChange.Updated, now));
    }

    /// <summary>Stores the photo in the module's table and returns the event that attaches it; the photo it replaces is deleted.</summary>
    public static CardPhotoAttached Store(InsuranceEdit edit, PlanRank rank, CardPhoto photo, DateTimeOffset at, IDocumentSession session)
    {
        var photoId = Guid.CreateVersion7();
        CardPhotoStore.Insert(session, photoId, edit.Client.Id, photo.Image, at);
        if (edit.Insurance.Aggregate?.Plan(rank)?.PhotoId(photo.Side) is { } replaced) CardPhotoStore.Delete(session, replaced);
        return new CardPhotoAttached(rank, photo.Side, photoId, photo.Image.ContentType, photo.Image.Content.LongLength, edit.By, at);
    }

    private static (IResult, InsuranceChanged?) Refused(InsuranceEdit edit, Refusal refusal) => (refusal.ToProblem(edit.Http), null);
}
