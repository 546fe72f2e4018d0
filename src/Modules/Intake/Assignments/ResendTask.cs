using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

namespace Portal.Intake.Assignments;

/// <summary>The provider reminds the client of an open task now, with a reason. Does not count against the task's automatic reminders.</summary>
public static class ResendTaskEndpoint
{
    [WolverinePost("/api/assignments/{id}/tasks/{taskId}/resend"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid id, Guid taskId, ReasonRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation) =>
        (await ExecuteAsync(id, taskId, request.Reason, http, session, bus, clock, cancellation)).ToResult();

    internal static async Task<CommandOutcome> ExecuteAsync(Guid id, Guid taskId, string reason, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation) is null)
            return CommandOutcome.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.Task(taskId) is not { } task) return CommandOutcome.NotFound("task");
        if (state.IsTerminal || task.Status != AssignmentTaskStatus.Open)
            return CommandOutcome.Conflict("The task is not open.", "Only an open task of a running assignment can be sent again.");

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Remind(task, task.RemindersSent + 1, byProvider: true, reason: reason.Trim());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.task.resend", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
