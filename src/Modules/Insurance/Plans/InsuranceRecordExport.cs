using Portal.BuildingBlocks.Records;

namespace Portal.Insurance.Plans;

/// <summary>
/// Insurance in a client's export: the plans as they stand and every change in order (who, when, what). Card photos
/// are named by id and kind, not copied: they are images of a card, read on the profile under the same rules.
/// </summary>
internal sealed class InsuranceRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "insurance";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var insurance = await session.LoadAsync<ClientInsurance>(clientId, cancellation);
        var history = insurance is null ? [] : await session.Events.FetchStreamAsync(clientId, token: cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            Current = insurance is null ? null : new { insurance.Primary, insurance.Secondary, insurance.LastUpdatedAt, insurance.LastUpdatedBy },
            History = history.Select(e => new { Change = e.EventTypeName, e.Timestamp, e.Data }),
        }, cancellation);
    }
}
