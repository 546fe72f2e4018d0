using System.Security.Claims;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record MyTask(
    Guid AssignmentId, Guid TaskId, string Title, string Link, DateTimeOffset? DueAt, bool Overdue, string Workflow, string Stage);

internal sealed record MyWorkflowProgress(Guid AssignmentId, string Workflow, int DoneTasks, int TotalTasks, int CurrentStage, int Stages);

/// <summary>A task the client completed: it stays in their list under "Done" instead of vanishing.</summary>
internal sealed record MyDoneTask(Guid AssignmentId, string Title, string Workflow, DateTimeOffset DoneAt);

internal sealed record MyTasks(IReadOnlyList<MyTask> Open, IReadOnlyList<MyWorkflowProgress> Progress, IReadOnlyList<MyDoneTask> Done);

/// <summary>
/// The signed-in client's open tasks, oldest assignment first and in stage order, with each workflow's progress, and
/// the tasks they completed (newest first, those of finished workflows too).
/// </summary>
public static class MyTasksEndpoint
{
    /// <summary>The most recent completed tasks shown; older ones stay in the provider's record.</summary>
    private const int DoneShown = 50;

    [WolverineGet("/api/my/tasks"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ForClientAsync(session, CurrentUser.From(principal)!.ClientId!.Value, cancellation));

    internal static async Task<MyTasks> ForClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var assignments = (await session.Query<IntakeAssignment>()
                .Where(a => a.ClientId == clientId)
                .ToListAsync(cancellation))
            .OrderBy(a => a.AssignedAt)
            .ToList();
        var running = assignments.Where(a => a.Status == AssignmentStatus.Running).ToList();
        var open = running.SelectMany(a => a.OpenTasks
                .OrderBy(t => a.Stages[t.Stage].AllTasks().ToList().FindIndex(s => s.Key == t.Key))
                .Select(t => new MyTask(a.Id, t.TaskId!.Value, t.Title, TaskLinks.For(t.Kind, t.SubjectId), t.DueAt, t.Overdue,
                    a.WorkflowName, a.Stages[t.Stage].Name)))
            .ToList();
        var progress = running
            .Select(a => new MyWorkflowProgress(a.Id, a.WorkflowName, a.DoneTasks, a.TotalTasks, a.CurrentStage, a.Stages.Count))
            .ToList();
        var done = assignments
            .SelectMany(a => a.Tasks
                .Where(t => t is { Status: AssignmentTaskStatus.Completed, DoneAt: not null })
                .Select(t => new MyDoneTask(a.Id, t.Title, a.WorkflowName, t.DoneAt!.Value)))
            .OrderByDescending(t => t.DoneAt)
            .Take(DoneShown)
            .ToList();
        return new MyTasks(open, progress, done);
    }
}
