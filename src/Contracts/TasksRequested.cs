namespace Portal.Contracts;

/// <summary>
/// Tasks were requested of clients, together: the Intake module publishes every <see cref="TaskRequested"/> that one
/// transaction opened (a workflow assigned to up to 500 clients, a stage started, a scheduled assessment) as one
/// message, at most <see cref="MaxTasks"/> tasks each, so a bulk assignment costs its handlers a few transactions
/// instead of one per task. This is the only message that announces tasks: the Invitations module invites an eligible
/// client who has no account yet, the Caseload module counts the tasks.
/// </summary>
public sealed record TasksRequested(Guid BatchId, IReadOnlyList<TaskRequested> Tasks)
{
    public const int MaxTasks = 500;
}
