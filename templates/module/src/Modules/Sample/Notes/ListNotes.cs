using Portal.Sample.Roster;

namespace Portal.Sample.Notes;

/// <summary>A client's notes, newest first, for their provider (the JSON API and the notes page).</summary>
public static class ListNotesEndpoint
{
    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/api/sample/clients/{clientId}/notes")]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IQuerySession session) =>
        (await ListAsync(clientId, CurrentUser.From(http.User)!, session)).ToResult(http);

    internal static async Task<Outcome<NoteView[]>> ListAsync(Guid clientId, CurrentUser user, IQuerySession session)
    {
        var client = await session.LoadAsync<SampleClient>(clientId);
        if (client is null || !client.IsVisibleTo(user)) return Refusal.NotFound("client");

        var notes = await session.Query<SampleNote>().Where(n => n.ClientId == clientId).OrderByDescending(n => n.At).ToListAsync();
        return notes.Select(n => new NoteView(n.Id, n.Text, n.At)).ToArray();
    }
}
