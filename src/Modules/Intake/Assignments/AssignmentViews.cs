using Portal.Contracts;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record TaskView(
    Guid? TaskId,
    string Key,
    int Stage,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<TaskKind>))] TaskKind Kind,
    string? SubjectId,
    string Title,
    [property: System.Text.Json.Serialization.JsonConverter(
        typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AssignmentTaskStatus>))]
    AssignmentTaskStatus Status,
    DateTimeOffset? RequestedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    int RemindersSent,
    DateTimeOffset? DoneAt,
    bool DoneBeforeRequest,
    string? SkipReason,
    string Link)
{
    /// <summary>1, or which occurrence of a repeating task this is.</summary>
    public int Occurrence { get; init; } = 1;

    /// <summary>When a scheduled task opens.</summary>
    public DateTimeOffset? OpensAt { get; init; }

    /// <summary>The date a waiting task waits for ("firstSession"), and the sentence people read.</summary>
    public string? WaitingFor { get; init; }

    public string? WaitingSentence { get; init; }
}

/// <summary>A named date of the assignment: the moment, and the practice-local time it was given as.</summary>
internal sealed record AssignmentDateView(DateTimeOffset Value, string Local, string Zone);

internal sealed record StageView(int Index, string Name, string State);

internal sealed record AssignmentView(
    Guid Id,
    Guid ClientId,
    Guid? DefinitionId,
    int? DefinitionVersion,
    string WorkflowName,
    [property: System.Text.Json.Serialization.JsonConverter(
        typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AssignmentStatus>))]
    AssignmentStatus Status,
    int CurrentStage,
    IReadOnlyList<StageView> Stages,
    int DoneTasks,
    int TotalTasks,
    IReadOnlyList<TaskView> Tasks,
    DateTimeOffset AssignedAt,
    DateTimeOffset? EndedAt,
    string? CancelReason)
{
    public IReadOnlyDictionary<string, AssignmentDateView> Dates { get; init; } = new Dictionary<string, AssignmentDateView>();

    public static AssignmentView From(IntakeAssignment a) => new(
        a.Id, a.ClientId, a.DefinitionId, a.DefinitionVersion, a.WorkflowName, a.Status, a.CurrentStage,
        [.. a.Stages.Select((s, i) => new StageView(i, s.Name,
            a.Status == AssignmentStatus.Completed || i < a.CurrentStage ? "done" : i == a.CurrentStage && !a.IsTerminal ? "current" : "waiting"))],
        a.DoneTasks, a.TotalTasks,
        [.. a.Tasks.Select(t => new TaskView(t.TaskId, t.Key, t.Stage, t.Kind, t.SubjectId, t.Title, t.Status, t.RequestedAt,
            t.DueAt, t.Overdue, t.RemindersSent, t.DoneAt, t.DoneBeforeRequest, t.SkipReason, TaskLinks.For(t.Kind, t.SubjectId))
        {
            Occurrence = t.Occurrence, OpensAt = t.OpensAt, WaitingFor = t.WaitingFor,
            WaitingSentence = t.WaitingFor is { } date ? TaskDates.WaitingSentence(date) : null,
        })],
        a.AssignedAt, a.EndedAt, a.CancelReason)
    {
        Dates = a.Dates.ToDictionary(d => d.Key, d => new AssignmentDateView(d.Value.Value, d.Value.Local, d.Value.Zone)),
    };
}

internal static class TaskLinks
{
    /// <summary>Where in the client portal a task is done.</summary>
    public static string For(TaskKind kind, string? subjectId) => kind switch
    {
        TaskKind.AddInsurance => "/portal/insurance",
        TaskKind.EnrollInAutopay => "/portal/autopay",
        TaskKind.SignDocument => $"/portal/documents/{subjectId}",
        TaskKind.CompleteIntakeForm => $"/portal/forms/{subjectId}",
        TaskKind.CompleteAssessment => $"/portal/assessments/{subjectId}",
        _ => "/portal",
    };
}
