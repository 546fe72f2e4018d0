using System.Security.Claims;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record MyTask(
    Guid AssignmentId, Guid TaskId, string Title, string Link, DateTimeOffset? DueAt, bool Overdue, string Workflow, string Stage);

internal sealed record MyWorkflowProgress(Guid AssignmentId, string Workflow, int DoneTasks, int TotalTasks, int CurrentStage, int Stages);

internal sealed record MyTasks(IReadOnlyList<MyTask> Open, IReadOnlyList<MyWorkflowProgress> Progress);

/// <summary>The signed-in client's open tasks, oldest assignment first and in stage order, with each workflow's progress.</summary>
public static class MyTasksEndpoint
{
    [WolverineGet("/api/my/tasks"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ForClientAsync(session, CurrentUser.From(principal)!.ClientId!.Value, cancellation));

    internal static async Task<MyTasks> ForClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var running = (await session.Query<IntakeAssignment>()
                .Where(a => a.ClientId == clientId && a.Status == AssignmentStatus.Running)
                .ToListAsync(cancellation))
            .OrderBy(a => a.AssignedAt)
            .ToList();
        var open = running.SelectMany(a => a.OpenTasks
                .OrderBy(t => a.Stages[t.Stage].Tasks.ToList().FindIndex(s => s.Key == t.Key))
                .Select(t => new MyTask(a.Id, t.TaskId!.Value, t.Title, TaskLinks.For(t.Kind, t.SubjectId), t.DueAt, t.Overdue,
                    a.WorkflowName, a.Stages[t.Stage].Name)))
            .ToList();
        var progress = running
            .Select(a => new MyWorkflowProgress(a.Id, a.WorkflowName, a.DoneTasks, a.TotalTasks, a.CurrentStage, a.Stages.Count))
            .ToList();
        return new MyTasks(open, progress);
    }
}
