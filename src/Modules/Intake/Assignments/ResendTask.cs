using Portal.BuildingBlocks.Auditing;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>The provider reminds the client of an open task now, with a reason. Does not count against the task's automatic reminders.</summary>
public static class ResendTaskEndpoint
{
    [WolverinePost("/api/assignments/{id}/tasks/{taskId}/resend"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Post(Guid id, Guid taskId, ReasonRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        (await ResendAsync(new AssignmentCommand(http, session, bus, clock), id, taskId, request.Reason, http.RequestAborted)).ToResult(http);

    /// <summary>The reminder itself; the assignment page sends it through here too.</summary>
    internal static async Task<Outcome<AssignmentView>> ResendAsync(
        AssignmentCommand command, Guid id, Guid taskId, string reason, CancellationToken cancellation)
    {
        var (http, session, bus, clock) = command;
        var open = await AssignmentAccess.OpenTaskAsync(session, id, taskId, http.User, "sent again", cancellation);
        if (!open.Succeeded) return open.Refusal;
        var (stream, state, task) = open.Value;

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Remind(task, task.RemindersSent + 1, byProvider: true, reason: reason.Trim());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.task.resend", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
