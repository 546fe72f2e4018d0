using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Sample.Clients;
using Wolverine.Http;

namespace Portal.Sample.Notes;

/// <summary>An example slice: a provider keeps a short note about one of their clients.</summary>
public sealed record AddNote(string Text);

public sealed class SampleNote
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid AuthorId { get; set; }
    public string Text { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}

internal sealed record NoteView(Guid Id, string Text, DateTimeOffset At);

internal sealed class AddNoteValidator : AbstractValidator<AddNote>
{
    public AddNoteValidator()
    {
        RuleFor(x => x.Text).NotEmpty().MaximumLength(2000);
    }
}

public static class AddNoteEndpoint
{
    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverinePost("/api/sample/clients/{clientId}/notes")]
    public static async Task<IResult> Post(Guid clientId, AddNote request, ClaimsPrincipal principal, IDocumentSession session,
        HttpContext http, TimeProvider clock)
    {
        var user = CurrentUser.From(principal)!;
        var client = await session.LoadAsync<SampleClient>(clientId);
        if (client is null || !client.IsVisibleTo(user)) return Results.Problem(statusCode: 404, title: "No such client.");

        var note = new SampleNote { Id = Guid.CreateVersion7(), ClientId = clientId, AuthorId = user.UserId, Text = request.Text.Trim(), At = clock.GetUtcNow() };
        session.Store(note);
        Audit.Record(session, http, clock, "sample.note.added", nameof(SampleNote), note.Id.ToString(), clientId);
        return Results.Created($"/api/sample/clients/{clientId}/notes", new NoteView(note.Id, note.Text, note.At));
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/api/sample/clients/{clientId}/notes")]
    public static async Task<IResult> List(Guid clientId, ClaimsPrincipal principal, IQuerySession session)
    {
        var client = await session.LoadAsync<SampleClient>(clientId);
        if (client is null || !client.IsVisibleTo(CurrentUser.From(principal)!)) return Results.Problem(statusCode: 404, title: "No such client.");

        var notes = await session.Query<SampleNote>().Where(n => n.ClientId == clientId).OrderByDescending(n => n.At).ToListAsync();
        return Results.Ok(notes.Select(n => new NoteView(n.Id, n.Text, n.At)));
    }
}
