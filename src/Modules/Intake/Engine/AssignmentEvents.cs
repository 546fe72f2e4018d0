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
    DateTimeOffset At);

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
    DateTimeOffset? DueAt);

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
