using Portal.Contracts;

namespace Portal.Forms.Roster;

/// <summary>The roster facts this module needs about a client: whose client they are, their practice and name.</summary>
public sealed class FormsClient : ClientCard;

public static class ClientRosterChangedHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<FormsClient>(change.ClientId, cancellation) ?? new FormsClient();
        if (card.Apply(change)) session.Store(card);
    }
}
