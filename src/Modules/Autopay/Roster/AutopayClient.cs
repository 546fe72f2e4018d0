namespace Portal.Autopay.Roster;

/// <summary>The roster facts Autopay needs about a client: their provider, and whether they have an active portal account.</summary>
public sealed class AutopayClient : ClientCard;

public static class AutopayClientRosterHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<AutopayClient>(change.ClientId, cancellation) ?? new AutopayClient();
        if (card.Apply(change)) session.Store(card);
    }
}
