using Npgsql;
using Portal.BuildingBlocks.Records;
using Portal.Insurance.Photos;

namespace Portal.Insurance.Plans;

/// <summary>
/// Insurance in a client's export: the plans as they stand, every change in order (who, when, what), and the card
/// photos as the client uploaded them (after the upload's cleaning), one file each under <c>insurance/photos/</c>,
/// listed with the plan and side they show. The export's own audit entry covers them (the endpoint's rules apply).
/// </summary>
internal sealed class InsuranceRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "insurance";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var insurance = await session.LoadAsync<ClientInsurance>(clientId, cancellation);
        var history = insurance is null ? [] : await session.Events.FetchStreamAsync(clientId, token: cancellation);
        var photos = new List<object>();
        await foreach (var photo in CardPhotoStore.OfClientAsync(session, clientId, cancellation))
        {
            var file = $"{Module}/photos/{photo.Id:N}{(photo.ContentType == "image/png" ? ".png" : ".jpg")}";
            await archive.AddBytesAsync(file, photo.Content, cancellation);
            photos.Add(new
            {
                photo.Id, photo.ContentType, Length = photo.Content.Length, photo.UploadedAt, ShownOn = ShownOn(insurance, photo.Id),
                File = file,
            });
        }
        await archive.AddJsonAsync($"{Module}.json", new
        {
            Current = insurance is null ? null : new { insurance.Primary, insurance.Secondary, insurance.LastUpdatedAt, insurance.LastUpdatedBy },
            History = history.Select(e => new { Change = e.EventTypeName, e.Timestamp, e.Data }),
            CardPhotos = photos,
        }, cancellation);
    }

    /// <summary>The plan and side a photo shows today; null for one no current plan shows.</summary>
    private static object? ShownOn(ClientInsurance? insurance, Guid photoId) =>
        new[] { insurance?.Primary, insurance?.Secondary }.OfType<InsurancePlan>()
            .SelectMany(plan => new[] { CardSide.Front, CardSide.Back }.Select(side => (plan.Rank, Side: side, Id: plan.PhotoId(side))))
            .Where(shown => shown.Id == photoId)
            .Select(shown => new { shown.Rank, shown.Side })
            .FirstOrDefault();
}
