using Portal.Contracts;
using Portal.Intake.Definitions;

namespace Portal.Intake.Engine;

// The events of one assignment's stream, in the order they usually happen. Each carries the stream id first.

/// <summary>
/// A workflow was assigned to a client. Carries the whole version it runs on (task titles resolved), so the
/// assignment never depends on the definition again. One-off requests have no definition.
/// </summary>
public sealed record AssignmentStarted(
    Guid AssignmentId,
    Guid ClientId,
    Guid ProviderId,
    Guid? DefinitionId,
    int? DefinitionVersion,
    string WorkflowName,
    IReadOnlyList<StageSpec> Stages,
    Actor AssignedBy,
    DateTimeOffset At)
{
    /// <summary>The recurring assessment schedule (Forms) this assignment runs for; null for any other assignment.</summary>
    public Guid? ScheduleId { get; init; }
}

public sealed record AssignmentStageStarted(Guid AssignmentId, int Stage, string Name, DateTimeOffset At);

public sealed record AssignmentTaskRequested(
    Guid AssignmentId,
    Guid TaskId,
    string Key,
    int Stage,
    TaskKind Kind,
    string? SubjectId,
    string Title,
    DateTimeOffset At,
    DateTimeOffset? DueAt)
{
    /// <summary>
    /// The occurrence of a repeating task asked for at once, its moment already past (null: the first, or the one that
    /// waited or was scheduled). Without it a late repeat would read as occurrence 1 a second time.
    /// </summary>
    public int? Occurrence { get; init; }
}

/// <summary>
/// A task was done. <see cref="Source"/> names what showed it ("insurance.added", "assessment.completed", ...);
/// <see cref="DoneBeforeRequest"/> is true when the client had already done it shortly before it was requested.
/// Score, severity and answers are kept only when a later condition of this assignment tests them.
/// </summary>
public sealed record AssignmentTaskCompleted(
    Guid AssignmentId,
    Guid TaskId,
    string Source,
    Guid? SourceEventId,
    bool DoneBeforeRequest,
    int? Score,
    string? Severity,
    IReadOnlyDictionary<string, string>? Answers,
    DateTimeOffset At);

/// <summary>A task was not asked for: its condition did not match (<see cref="ByCondition"/>), or the provider skipped it.</summary>
public sealed record AssignmentTaskSkipped(
    Guid AssignmentId,
    Guid? TaskId,
    string Key,
    int Stage,
    string Title,
    bool ByCondition,
    string Reason,
    Actor? SkippedBy,
    DateTimeOffset At);

/// <summary>A reminder went out: by the timer, or resent by the provider (<see cref="ByProvider"/>).</summary>
public sealed record AssignmentReminderSent(Guid AssignmentId, Guid TaskId, int Number, bool ByProvider, string? Reason, DateTimeOffset At);

public sealed record AssignmentTaskOverdue(Guid AssignmentId, Guid TaskId, DateTimeOffset DueAt, DateTimeOffset At);

public sealed record AssignmentFinished(Guid AssignmentId, DateTimeOffset At);

public sealed record AssignmentCancelled(Guid AssignmentId, string Reason, Actor CancelledBy, DateTimeOffset At);

// Workflows v2, dates and recurrence (#30 items 1, 3).

/// <summary>
/// A named date of the assignment was set or changed (<see cref="Name"/> "firstSession" or a practice's date): the
/// moment, and the practice-local time and zone it was given in. Tasks waiting for it or planned from it re-plan.
/// </summary>
public sealed record AssignmentDateSet(
    Guid AssignmentId, string Name, DateTimeOffset Value, string Local, string Zone, Actor SetBy, DateTimeOffset At);

/// <summary>A task was reached but names a date the assignment does not have yet: it waits for it, asking nothing.</summary>
public sealed record AssignmentTaskWaiting(
    Guid AssignmentId, string Key, int Stage, string Title, int Occurrence, string DateName, DateTimeOffset At);

/// <summary>
/// A task (or the next occurrence of a repeating one) opens later, at <see cref="OpensAt"/>; emitted again when a date
/// change moves it (the newest plan is the one a firing timer honours).
/// </summary>
public sealed record AssignmentTaskScheduled(
    Guid AssignmentId, string Key, int Stage, string Title, int Occurrence, DateTimeOffset OpensAt, DateTimeOffset At);

/// <summary>An open task's due moment moved because the date it is due from changed.</summary>
public sealed record AssignmentTaskDueChanged(Guid AssignmentId, Guid TaskId, DateTimeOffset? DueAt, DateTimeOffset At);

// Workflows v2, tracks and optional tasks (#30 item 2).

/// <summary>
/// A task was closed without the client: another track of its stage finished first (Join Any), or it was optional and
/// the assignment finished. <see cref="TaskId"/> is null for a task of a closed track that was never requested. No email.
/// </summary>
public sealed record AssignmentTaskNotNeeded(
    Guid AssignmentId,
    Guid? TaskId,
    string Key,
    int Stage,
    string Title,
    string Reason,
    DateTimeOffset At);

// Migration of running assignments to a newer version (#30 item 5).

public enum MigratedTaskOutcome
{
    /// <summary>Completed or skipped before the move: kept as it is, never asked again.</summary>
    StaysDone,
    /// <summary>Open, and its key is in the new version: the same task (same id, no new email), now in that version's stage.</summary>
    StaysOpen,
    /// <summary>Open, and its key is gone from the new version: closed "removed by the new version", no email.</summary>
    Dropped,
}

/// <summary>What the move did with one task the assignment had reached; <see cref="ToStage"/> is null when the key is gone.</summary>
public sealed record MigratedTask(
    string Key,
    Guid? TaskId,
    int FromStage,
    int? ToStage,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MigratedTaskOutcome>))]
    MigratedTaskOutcome Outcome);

/// <summary>
/// The assignment moved to another version of its definition: the version's content (titles resolved) replaces the
/// stages it runs on, every task it had reached is mapped by key (<see cref="Tasks"/>), and it stands at
/// <see cref="Stage"/> of the new version (the furthest stage holding a task it had reached). The tasks this opens
/// follow as ordinary events.
/// </summary>
public sealed record AssignmentMigrated(
    Guid AssignmentId,
    int? FromVersion,
    int ToVersion,
    IReadOnlyList<StageSpec> Stages,
    IReadOnlyList<MigratedTask> Tasks,
    int Stage,
    Actor MigratedBy,
    DateTimeOffset At);
