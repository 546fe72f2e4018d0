using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// The roster's answer to <see cref="IClientVisibility"/>: the client themselves, their own provider, or support
/// (the rule of <see cref="ClientCard.IsVisibleTo"/>).
/// </summary>
internal sealed class RosterClientVisibility(IDocumentStore store) : IClientVisibility
{
    public async Task<bool> IsVisibleAsync(Guid clientId, CurrentUser user, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var client = await session.LoadAsync<RosterClient>(clientId, cancellationToken);
        return client is not null && ClientCard.IsVisibleTo(user, client.Id, client.ProviderId);
    }
}
