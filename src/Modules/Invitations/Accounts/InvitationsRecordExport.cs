using Portal.BuildingBlocks.Records;
using Portal.Invitations.Invites;

namespace Portal.Invitations.Accounts;

/// <summary>
/// Portal access in a client's export: the account's dates and state and the invitations sent (never a password,
/// token or second-factor secret).
/// </summary>
internal sealed class InvitationsRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "invitations";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == clientId, cancellation);
        var invitations = await session.Query<Invitation>().Where(i => i.ClientId == clientId).OrderBy(i => i.SentAt).ToListAsync(cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            Account = account is null ? null : new
            {
                account.Email,
                account.Active,
                account.CreatedAt,
                account.ActivatedAt,
                account.LastSignInAt,
                account.ClosedAt,
                account.TotpEnabled,
            },
            Invitations = invitations.Select(i => new { i.Email, i.SentAt, i.ExpiresAt, i.UsedAt, i.ReplacedAt, i.BlockedAt, i.FailedChecks }),
        }, cancellation);
    }
}
