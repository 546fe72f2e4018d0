using Portal.Contracts;

namespace Portal.Insurance.Roster;

/// <summary>
/// This module's copy of a client's roster facts: who their provider is (per-record authorization) and whether they
/// have an active portal account (only then may they change their own insurance).
/// </summary>
public sealed class InsuranceClient : ClientCard
{
    /// <summary>The client themselves or their own provider; support staff are not shown card photos or plans.</summary>
    public bool IsOwnedBy(CurrentUser user) =>
        (user.IsClient && user.ClientId == Id) || (user.HandlesBilling && IsVisibleTo(user));
}

public sealed class TrackInsuranceClientHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<InsuranceClient>(change.ClientId, cancellation) ?? new InsuranceClient();
        if (card.Apply(change)) session.Store(card);
    }
}
