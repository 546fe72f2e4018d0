using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// The roster's answer to <see cref="IClientVisibility"/>: the rule of <see cref="ClientCard.IsVisibleTo(CurrentUser)"/>.
/// </summary>
internal sealed class RosterClientVisibility(IDocumentStore store) : IClientVisibility
{
    public async Task<bool> IsVisibleAsync(Guid clientId, CurrentUser user, CancellationToken cancellationToken) =>
        await FindVisibleAsync(clientId, user, cancellationToken) is not null;

    public async Task<VisibleClient?> FindVisibleAsync(Guid clientId, CurrentUser user, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var client = await session.LoadAsync<RosterClient>(clientId, cancellationToken);
        return client is not null && ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam)
            ? new VisibleClient(client.Id, $"{client.FirstName} {client.LastName}".Trim(), client.DateOfBirth, client.Discharged) { Billing = client.Billing }
            : null;
    }
}
