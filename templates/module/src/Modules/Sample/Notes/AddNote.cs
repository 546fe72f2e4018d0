using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Validation;
using Portal.Contracts;
using Portal.Sample.Roster;

namespace Portal.Sample.Notes;

/// <summary>A provider keeps a short note about one of their clients, from the JSON API or the notes page.</summary>
public sealed record AddNote(string Text);

public sealed class SampleNote
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid AuthorId { get; set; }
    public string Text { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}

public sealed record NoteView(Guid Id, string Text, DateTimeOffset At);

internal sealed class AddNoteValidator : AbstractValidator<AddNote>
{
    public AddNoteValidator()
    {
        RuleFor(x => x.Text).NotEmpty().WithMessage("Write the note.").MaximumLength(2000);
    }
}

public static class AddNoteEndpoint
{
    private static readonly AddNoteValidator Validator = new();

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverinePost("/api/sample/clients/{clientId}/notes")]
    public static async Task<IResult> Post(Guid clientId, AddNote request, HttpContext http, IDocumentSession session, IMessageBus bus,
        TimeProvider clock)
    {
        var outcome = await AddAsync(clientId, request, CurrentUser.From(http.User)!, http, session, bus, clock);
        return outcome.ToResult(http);
    }

    /// <summary>
    /// The work, for the endpoint and the page alike. <paramref name="bus"/> must be enrolled in the session's outbox
    /// (Wolverine does that for the endpoint, the page enrols its IMartenOutbox), so the note and its message commit together.
    /// </summary>
    internal static async Task<Outcome<NoteView>> AddAsync(Guid clientId, AddNote request, CurrentUser user, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var validation = await Validator.ValidateAsync(request);
        if (!validation.IsValid) return Refusal.Invalid(ValidationProblems.ByField(validation.Errors));

        var client = await session.LoadAsync<SampleClient>(clientId);
        if (client is null || !client.IsVisibleTo(user)) return Refusal.NotFound("client");

        var note = new SampleNote
        {
            Id = Guid.CreateVersion7(), ClientId = clientId, AuthorId = user.UserId, Text = request.Text.Trim(), At = clock.GetUtcNow()
        };
        session.Store(note);
        Audit.Record(session, http, clock, "sample.note.added", nameof(SampleNote), note.Id.ToString(), clientId);
        await bus.PublishAsync(new SampleNoteAdded(note.Id, clientId, client.ProviderId, note.At));
        return Outcome<NoteView>.Ok(new NoteView(note.Id, note.Text, note.At), StatusCodes.Status201Created);
    }
}
