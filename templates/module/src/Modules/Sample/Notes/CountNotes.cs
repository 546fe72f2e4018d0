using Portal.Contracts;
using Portal.Sample.Roster;

namespace Portal.Sample.Notes;

/// <summary>
/// Keeps each client's note count from <see cref="SampleNoteAdded"/>, as a module that subscribes to another's
/// message does. The message is meant for other modules; this module reads it too so that it has a handler from the
/// first day (the architecture test asks every contract message for one). Remove this once another module handles it.
/// </summary>
public static class SampleNoteAddedHandler
{
    public static async Task Handle(SampleNoteAdded added, IDocumentSession session)
    {
        var client = await session.LoadAsync<SampleClient>(added.ClientId);
        if (client is null) return;
        client.NotesCount++;
        if (client.LastNoteAt is null || added.At > client.LastNoteAt) client.LastNoteAt = added.At;
        session.Store(client);
    }
}
