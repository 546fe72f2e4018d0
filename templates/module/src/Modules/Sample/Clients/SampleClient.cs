using Marten;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;

namespace Portal.Sample.Clients;

/// <summary>This module's copy of the roster facts it needs about a client (their provider), for per-record checks.</summary>
public sealed class SampleClient : ClientCard;

public static class SampleClientRosterHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session)
    {
        var card = await session.LoadAsync<SampleClient>(change.ClientId) ?? new SampleClient();
        if (card.Apply(change)) session.Store(card);
    }
}
