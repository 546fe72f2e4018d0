using Portal.Contracts;

namespace Portal.Sample.Roster;

/// <summary>
/// This module's copy of the roster facts it needs about a client (their provider, for per-record checks), and
/// what it keeps of its own about them.
/// </summary>
public sealed class SampleClient : ClientCard
{
    public int NotesCount { get; set; }

    public DateTimeOffset? LastNoteAt { get; set; }
}

/// <summary>Keeps the copy current from the roster module's message; an older version than the copy's is ignored.</summary>
public static class SampleClientRosterHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session)
    {
        var client = await session.LoadAsync<SampleClient>(change.ClientId) ?? new SampleClient();
        if (client.Apply(change)) session.Store(client);
    }
}
