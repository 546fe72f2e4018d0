using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Auditing;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record TimelineEntry(long Version, string Event, DateTimeOffset At, string Description);

internal sealed record AssignmentDetail(AssignmentView Assignment, IReadOnlyList<TimelineEntry> Timeline);

/// <summary>A client's assignments, newest first.</summary>
public static class GetClientAssignmentsEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(
        Guid clientId, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        await AssignmentAccess.VisibleClientAsync(session, clientId, principal, cancellation) is null
            ? AssignmentAccess.NoSuch("client")
            : WolverineContinue.NoProblems;

    [Microsoft.AspNetCore.Mvc.ProducesResponseType<AssignmentView[]>(StatusCodes.Status200OK)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverineGet("/api/clients/{clientId}/assignments"), Authorize]
    public static async Task<IResult> Get(
        Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var assignments = await GetAssignments.ForClientAsync(session, clientId, cancellation);
        Audit.Record(session, http, clock, "intake.assignment.list", nameof(IntakeAssignment), null, clientId);
        return Results.Ok(assignments.Select(AssignmentView.From));
    }
}

/// <summary>One assignment with its timeline of events.</summary>
public static class GetAssignmentEndpoint
{
    public static Task<IntakeAssignment?> LoadAsync(Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        AssignmentAccess.VisibleAssignmentAsync(session, id, principal, cancellation);

    public static ProblemDetails Validate(IntakeAssignment? assignment) =>
        assignment is null ? AssignmentAccess.NoSuch("assignment") : WolverineContinue.NoProblems;

    [Microsoft.AspNetCore.Mvc.ProducesResponseType<AssignmentDetail>(StatusCodes.Status200OK)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverineGet("/api/assignments/{id}"), Authorize]
    public static async Task<IResult> Get([NotBody] IntakeAssignment assignment, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        Audit.Record(session, http, clock, "intake.assignment.read", nameof(IntakeAssignment), assignment.Id.ToString(), assignment.ClientId);
        return Results.Ok(new AssignmentDetail(
            AssignmentView.From(assignment), await GetAssignments.TimelineAsync(session, assignment, http.ReaderZone(), cancellation)));
    }
}

/// <summary>The reads the assignment pages share with the endpoints: a client's assignments and an assignment's timeline.</summary>
internal static class GetAssignments
{
    public static async Task<IReadOnlyList<IntakeAssignment>> ForClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var assignments = await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).ToListAsync(cancellation);
        return [.. assignments.OrderByDescending(a => a.AssignedAt)];
    }

    public static async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(
        IQuerySession session, IntakeAssignment assignment, TimeZoneInfo zone, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(assignment.Id, token: cancellation);
        string TaskTitle(Guid taskId) => assignment.Task(taskId)?.Title ?? "a task";
        return
        [
            .. events.Select(e => new TimelineEntry(e.Version, e.Data.GetType().Name, e.Timestamp, e.Data switch
            {
                AssignmentStarted s =>
                    $"Assigned “{s.WorkflowName}”{(s.DefinitionVersion is { } v ? $" (version {v})" : string.Empty)}" +
                    $" by {s.AssignedBy.DisplayName}",
                AssignmentStageStarted s => $"Stage {s.Stage + 1} started: {s.Name}",
                AssignmentTaskRequested t => $"Requested: {t.Title}{(t.DueAt is { } due ? $", due {PortalTime.Date(due, zone)}" : string.Empty)}",
                AssignmentTaskCompleted t =>
                    $"Completed: {TaskTitle(t.TaskId)}{(t.DoneBeforeRequest ? " (already done before it was requested)" : string.Empty)}",
                AssignmentTaskSkipped t => t.ByCondition
                    ? $"Not needed: {t.Title}. {t.Reason}"
                    : $"Skipped by {t.SkippedBy?.DisplayName}: {t.Title}. Reason: {t.Reason}",
                AssignmentReminderSent r => r.ByProvider
                    ? $"Sent again: {TaskTitle(r.TaskId)}. Reason: {r.Reason}"
                    : $"Reminder {r.Number} sent: {TaskTitle(r.TaskId)}",
                AssignmentTaskOverdue o => $"Overdue: {TaskTitle(o.TaskId)} (was due {PortalTime.Date(o.DueAt, zone)})",
                AssignmentTaskNotNeeded t => $"Closed: {t.Title}. {t.Reason}",
                AssignmentFinished => "All tasks done",
                AssignmentCancelled c => $"Cancelled by {c.CancelledBy.DisplayName}. Reason: {c.Reason}",
                _ => e.Data.GetType().Name,
            })),
        ];
    }
}
