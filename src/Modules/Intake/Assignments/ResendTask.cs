using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;
using Portal.Intake.Engine;

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
        var (open, refusal) = await AssignmentAccess.OpenTaskAsync(session, id, taskId, http.User, "sent again", cancellation);
        if (open is null) return refusal!;
        var (stream, state, task) = open;

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Remind(task, task.RemindersSent + 1, byProvider: true, reason: reason.Trim());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.task.resend", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
