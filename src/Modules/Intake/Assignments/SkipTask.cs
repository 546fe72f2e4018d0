using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

namespace Portal.Intake.Assignments;

/// <summary>The provider skips an open task with a reason; the stage moves on as if it were done.</summary>
public static class SkipTaskEndpoint
{
    [WolverinePost("/api/assignments/{id}/tasks/{taskId}/skip"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid id, Guid taskId, ReasonRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, principal, cancellation) is null)
            return AssignmentAccess.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.Task(taskId) is not { } task) return AssignmentAccess.NotFound("task");
        if (state.IsTerminal || task.Status != AssignmentTaskStatus.Open)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The task is not open.",
                detail: "Only an open task of a running assignment can be skipped.");

        var activity = await session.LoadAsync<ClientActivity>(state.ClientId, cancellation);
        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Skip(task, request.Reason.Trim(), CurrentUser.From(principal)!.AsActor(), activity);
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.task.skip", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, cancellation) ?? Results.Ok(AssignmentView.From(process.State));
    }
}
