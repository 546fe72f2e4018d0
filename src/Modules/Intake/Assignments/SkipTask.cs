using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Web;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>The provider skips an open task with a reason; the stage moves on as if it were done.</summary>
public static class SkipTaskEndpoint
{
    [WolverinePost("/api/assignments/{id}/tasks/{taskId}/skip"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Post(Guid id, Guid taskId, ReasonRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        (await SkipAsync(new AssignmentCommand(http, session, bus, clock), id, taskId, request.Reason, http.RequestAborted)).ToResult(http);

    /// <summary>The skip itself; the assignment page skips through it too.</summary>
    internal static async Task<Outcome<AssignmentView>> SkipAsync(
        AssignmentCommand command, Guid id, Guid taskId, string reason, CancellationToken cancellation)
    {
        var (http, session, bus, clock) = command;
        var open = await AssignmentAccess.OpenTaskAsync(session, id, taskId, http.User, "skipped", cancellation);
        if (!open.Succeeded) return open.Refusal;
        var (stream, state, task) = open.Value;

        // The next stage may open tasks the client's activity already satisfies: read it under its lock (see CompleteMatchingTasks).
        var activity = await EditLock.LoadLockedAsync<ClientActivity>(session, state.ClientId, cancellation);
        var client = await ClientAttributes.LoadAsync(session,
            http.RequestServices.GetRequiredService<IPracticeLooks>(), state.ClientId, cancellation);
        var process = AssignmentProcess.Continue(state, clock.GetUtcNow(), client);
        process.Skip(task, reason.Trim(), CurrentUser.From(http.User)!.AsActor(), activity);
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.task.skip", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
