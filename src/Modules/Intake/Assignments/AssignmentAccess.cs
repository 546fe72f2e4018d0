using System.Security.Claims;
using JasperFx;
using Marten;
using Portal.BuildingBlocks.Security;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Assignments;

internal static class AssignmentAccess
{
    /// <summary>The client's card when the caller may see the client (the client, their provider, support); else null.</summary>
    public static async Task<IntakeClient?> VisibleClientAsync(IQuerySession session, Guid clientId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is null) return null;
        var card = await session.LoadAsync<IntakeClient>(clientId, cancellation);
        return card is not null && card.IsVisibleTo(user) ? card : null;
    }

    /// <summary>The assignment when its client is visible to the caller; else null (answer 404).</summary>
    public static async Task<IntakeAssignment?> VisibleAssignmentAsync(IQuerySession session, Guid assignmentId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var assignment = await session.LoadAsync<IntakeAssignment>(assignmentId, cancellation);
        if (assignment is null) return null;
        return await VisibleClientAsync(session, assignment.ClientId, principal, cancellation) is null ? null : assignment;
    }

    /// <summary>
    /// An open task of a running assignment the caller may see, loaded for writing; otherwise the refusal to answer
    /// (404 for an assignment or task the caller cannot see, 409 when the task is no longer open).
    /// </summary>
    public static async Task<(OpenTask? Open, CommandOutcome? Refusal)> OpenTaskAsync(IDocumentSession session, Guid assignmentId,
        Guid taskId, ClaimsPrincipal principal, string refusedAction, CancellationToken cancellation)
    {
        if (await VisibleAssignmentAsync(session, assignmentId, principal, cancellation) is null)
            return (null, CommandOutcome.NotFound("assignment"));
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(assignmentId, cancellation);
        var state = stream.Aggregate!;
        if (state.Task(taskId) is not { } task) return (null, CommandOutcome.NotFound("task"));
        if (state.IsTerminal || task.Status != AssignmentTaskStatus.Open)
            return (null, CommandOutcome.Conflict("The task is not open.", $"Only an open task of a running assignment can be {refusedAction}."));
        return (new OpenTask(stream, state, task), null);
    }

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"The {what} was not found.");

    /// <summary>
    /// Commits now so that a concurrent change to the same assignment answers 409 instead of failing later.
    /// Messages published before stay in the outbox of this transaction.
    /// </summary>
    public static async Task<CommandOutcome> CommitAsync(IDocumentSession session, IntakeAssignment state, CancellationToken cancellation)
    {
        try
        {
            await session.SaveChangesAsync(cancellation);
            return CommandOutcome.Done(state);
        }
        catch (ConcurrencyException)
        {
            return CommandOutcome.Conflict("The assignment changed meanwhile.",
                "Someone or something changed this assignment at the same time. Reload and try again.");
        }
    }
}

/// <summary>The outcome of a provider's command on an assignment, for the JSON endpoint and the page alike.</summary>
internal sealed record CommandOutcome(int Status, string? Title, string? Detail, IntakeAssignment? State)
{
    public static CommandOutcome NotFound(string what) => new(StatusCodes.Status404NotFound, $"No such {what}.", $"The {what} was not found.", null);

    public static CommandOutcome Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail, null);

    public static CommandOutcome Done(IntakeAssignment state) => new(StatusCodes.Status200OK, null, null, state);

    public bool Succeeded => Status == StatusCodes.Status200OK;

    public IResult ToResult() => Succeeded
        ? Results.Ok(AssignmentView.From(State!))
        : Results.Problem(statusCode: Status, title: Title, detail: Detail);
}

internal sealed record OpenTask(JasperFx.Events.IEventStream<IntakeAssignment> Stream, IntakeAssignment State, AssignmentTask Task);
