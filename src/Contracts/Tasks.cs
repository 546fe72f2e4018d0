namespace Portal.Contracts;

/// <summary>The kinds of task a provider can request of a client.</summary>
public enum TaskKind
{
    AddInsurance,
    EnrollInAutopay,
    SignDocument,
    CompleteIntakeForm,
    CompleteAssessment,
}

/// <summary>
/// One task requested of a client: an item of <see cref="TasksRequested"/>, never sent as a message of its own (the
/// Intake module publishes every task it opens, grouped per transaction). <see cref="SubjectId"/> names the document,
/// form or instrument the task is about, where the kind needs one.
/// </summary>
public sealed record TaskRequested(
    Guid TaskId,
    Guid AssignmentId,
    Guid ClientId,
    Guid ProviderId,
    TaskKind Kind,
    string Title,
    string? SubjectId,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DueAt);

/// <summary>A reminder is due for an open task: Notifications emails the client.</summary>
public sealed record TaskReminderDue(
    Guid ReminderId, Guid TaskId, Guid ClientId, string TaskTitle, int ReminderNumber, DateTimeOffset? DueAt, TaskKind? Kind = null);

/// <summary>Every task of an assignment is done: Notifications tells the provider.</summary>
public sealed record AssignmentCompleted(Guid AssignmentId, Guid ClientId, Guid ProviderId, string WorkflowName, DateTimeOffset CompletedAt);
