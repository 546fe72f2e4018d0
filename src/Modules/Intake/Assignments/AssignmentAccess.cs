using System.Globalization;
using System.Security.Claims;
using JasperFx;
using Portal.BuildingBlocks.Data;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Assignments;

internal static class AssignmentAccess
{
    /// <summary>The client's card when the caller may see the client (the client, their provider, support); else null.</summary>
    public static async Task<IntakeClient?> VisibleClientAsync(
        IQuerySession session, Guid clientId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is null) return null;
        var card = await session.LoadAsync<IntakeClient>(clientId, cancellation);
        return card is not null && card.IsVisibleTo(user) ? card : null;
    }

    /// <summary>
    /// As <see cref="VisibleClientAsync"/>, for asking something of the client: a client this copy does not know yet
    /// is waited for (<see cref="RosterArrival"/>), so a request right after the client was added is not refused.
    /// </summary>
    public static async Task<IntakeClient?> ClientToAskAsync(
        IQuerySession session, Guid clientId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is null) return null;
        var card = await RosterArrival.CardAsync<IntakeClient>(session, clientId, cancellation);
        return card is not null && card.IsVisibleTo(user) ? card : null;
    }

    /// <summary>
    /// A discharged client gets no new work (a request, a workflow): the refusal (409) names the first such client and
    /// when they were discharged; null when everyone may be asked. Their record must be re-opened first.
    /// </summary>
    public static Refusal? NoNewWorkForDischarged(IEnumerable<IntakeClient> clients) =>
        clients.FirstOrDefault(c => c.Discharged) is { } client
            ? Refusal.Conflict("The client was discharged.", DischargedSentence(client)).With("code", "client_discharged")
            : null;

    /// <summary>"Sam Doe was discharged on 3 Dec 2026; re-open the record first." (the date in UTC, as the profile shows it).</summary>
    public static string DischargedSentence(IntakeClient client)
    {
        var on = client.DischargedAt is { } at ? $" on {at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}" : "";
        return $"{client.DisplayName} was discharged{on}; re-open the record first.";
    }

    /// <summary>The assignment when its client is visible to the caller; else null (answer 404).</summary>
    public static async Task<IntakeAssignment?> VisibleAssignmentAsync(
        IQuerySession session, Guid assignmentId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var assignment = await session.LoadAsync<IntakeAssignment>(assignmentId, cancellation);
        if (assignment is null) return null;
        return await VisibleClientAsync(session, assignment.ClientId, principal, cancellation) is null ? null : assignment;
    }

    /// <summary>
    /// An open task of a running assignment the caller may see, loaded for writing; otherwise the refusal to answer
    /// (404 for an assignment or task the caller cannot see, 409 when the task is no longer open).
    /// </summary>
    public static async Task<Outcome<OpenTask>> OpenTaskAsync(IDocumentSession session, Guid assignmentId,
        Guid taskId, ClaimsPrincipal principal, string refusedAction, CancellationToken cancellation)
    {
        if (await VisibleAssignmentAsync(session, assignmentId, principal, cancellation) is null) return Refusal.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(assignmentId, cancellation);
        var state = stream.Aggregate!;
        if (state.Task(taskId) is not { } task) return Refusal.NotFound("task");
        if (state.IsTerminal || task.Status != AssignmentTaskStatus.Open)
            return Refusal.Conflict("The task is not open.", $"Only an open task of a running assignment can be {refusedAction}.");
        return new OpenTask(stream, state, task);
    }

    /// <summary>The 404 of an endpoint's declarative check.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails NoSuch(string what) =>
        new() { Status = StatusCodes.Status404NotFound, Title = $"No such {what}.", Detail = $"The {what} was not found." };

    /// <summary>
    /// Commits now so that a concurrent change to the same assignment answers 409 instead of failing later.
    /// Messages published before stay in the outbox of this transaction.
    /// </summary>
    public static async Task<Outcome<AssignmentView>> CommitAsync(IDocumentSession session, IntakeAssignment state, CancellationToken cancellation)
    {
        try
        {
            await session.SaveChangesAsync(cancellation);
            return AssignmentView.From(state);
        }
        catch (ConcurrencyException)
        {
            return Refusal.Conflict("The assignment changed meanwhile.",
                "Someone or something changed this assignment at the same time. Reload and try again.");
        }
    }
}

/// <summary>What a provider's command on an assignment works with: the request (caller, audit), the session, the outbox, the clock.</summary>
internal sealed record AssignmentCommand(HttpContext Http, IDocumentSession Session, IMessageBus Bus, TimeProvider Clock);

internal sealed record OpenTask(JasperFx.Events.IEventStream<IntakeAssignment> Stream, IntakeAssignment State, AssignmentTask Task);
