using Portal.Autopay.Charges;
using Portal.BuildingBlocks.Records;

namespace Portal.Autopay.Accounts;

/// <summary>Autopay in a client's export: enrolment, consent and charges; of the card only its brand, last 4 and expiry.</summary>
internal sealed class AutopayRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "autopay";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<AutopayAccount>(AutopayStream.For(clientId), cancellation);
        var charges = await session.Query<AutopayCharge>().Where(c => c.ClientId == clientId).OrderBy(c => c.RequestedAt)
            .ToListAsync(cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            Account = account is null ? null : new
            {
                account.Status,
                Card = account.Card is { } card ? new { card.Brand, card.Last4, card.ExpMonth, card.ExpYear, card.CardholderName } : null,
                account.Consent,
                account.SuspendedReason,
                account.LastUpdated,
                account.LastUpdatedBy,
            },
            Charges = charges.Select(c => new
            {
                c.IdempotencyKey, c.AmountCents, c.Currency, c.Description, c.Status, c.Attempts, c.RequestedAt, c.RequestedBy, c.SettledAt,
                c.LastFailure,
            }),
        }, cancellation);
    }
}
