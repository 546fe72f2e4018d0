using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>
/// Answers another module's question about a client's requested tasks (Integrations' FHIR Task): each task that was
/// requested, with how it ended. The asker decides who may see them; nothing is written here.
/// </summary>
public static class RequestedTasksQueryHandler
{
    public static async Task<RequestedTasksAnswer> Handle(RequestedTasksQuery query, IQuerySession session, CancellationToken cancellation)
    {
        var assignments = query.TaskId is { } taskId
            ? await session.Query<IntakeAssignment>().Where(a => a.Tasks.Any(t => t.TaskId == taskId)).ToListAsync(cancellation)
            : await session.Query<IntakeAssignment>().Where(a => a.ClientId == query.ClientId).ToListAsync(cancellation);
        var tasks =
            from assignment in assignments
            from task in assignment.Tasks
            where task.TaskId is not null && task.RequestedAt is not null
                  && (query.TaskId is null || task.TaskId == query.TaskId)
            let cancelled = assignment.Status == AssignmentStatus.Cancelled && task.Status == AssignmentTaskStatus.Open
            let outcome = task.Status switch
            {
                AssignmentTaskStatus.Completed => TaskOutcome.Completed,
                AssignmentTaskStatus.Skipped => TaskOutcome.Skipped,
                AssignmentTaskStatus.NotNeeded => TaskOutcome.NotNeeded,
                _ => cancelled ? TaskOutcome.Cancelled : (TaskOutcome?)null,
            }
            let closedAt = cancelled ? assignment.EndedAt : task.DoneAt
            orderby task.RequestedAt
            select new RequestedTaskFacts(task.TaskId!.Value, assignment.Id, assignment.ClientId, task.Kind, task.Title,
                task.RequestedAt!.Value, task.DueAt, outcome, outcome is null ? null : closedAt, cancelled,
                new[] { task.RequestedAt, task.DoneAt, task.LastReminderAt, cancelled ? assignment.EndedAt : null }.Max()!.Value);
        return new RequestedTasksAnswer([.. tasks]);
    }
}
