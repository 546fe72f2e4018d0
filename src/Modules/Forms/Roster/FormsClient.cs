using Portal.Contracts;
using Portal.Forms.Assessments;

namespace Portal.Forms.Roster;

/// <summary>The roster facts this module needs about a client: whose client they are, their practice and name.</summary>
public sealed class FormsClient : ClientCard;

public static class ClientRosterChangedHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<FormsClient>(change.ClientId, cancellation) ?? new FormsClient();
        var wasDischarged = card.Discharged;
        if (card.Apply(change)) session.Store(card);
        if (card.Discharged && !wasDischarged) await StopSchedulesOnDischarge.StopAsync(session, card.Id, cancellation);
    }
}
