using Portal.Contracts;

namespace Portal.Intake.Roster;

/// <summary>The roster facts workflows need about a client: whose client they are, their name.</summary>
public sealed class IntakeClient : ClientCard;

public static class ClientRosterChangedHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<IntakeClient>(change.ClientId, cancellation) ?? new IntakeClient();
        if (card.Apply(change)) session.Store(card);
    }
}
