namespace Portal.Contracts;

/// <summary>
/// A provider scheduled a recurring assessment (every <see cref="EveryWeeks"/> weeks, until discharge or until the
/// schedule is stopped). Published by the forms module once per schedule. The intake module starts the schedule's
/// assignment: one <see cref="TaskKind.CompleteAssessment"/> task (subject = <see cref="Instrument"/>, e.g. "phq9")
/// that repeats in the workflow engine, each occurrence opening <see cref="EveryWeeks"/> weeks after the previous one
/// opened once that one is answered. Started once per <see cref="ScheduleId"/>, however often the message arrives
/// (a schedule's timer armed before the engine repeated tasks sends it with a later <see cref="Occurrence"/>).
/// </summary>
public sealed record AssessmentRequested(
    Guid EventId,
    Guid ScheduleId,
    Guid ClientId,
    Guid ProviderId,
    string Instrument,
    string Title,
    int Occurrence,
    int EveryWeeks,
    DateTimeOffset At);

/// <summary>
/// A recurring assessment schedule was stopped (by its provider, or replaced by a new schedule of the same
/// instrument): the intake module cancels the schedule's assignment, so no further occurrence opens.
/// </summary>
public sealed record AssessmentScheduleStopped(Guid EventId, Guid ScheduleId, Guid ClientId, DateTimeOffset At);

/// <summary>
/// Occurrence <see cref="Occurrence"/> of a recurring assessment schedule's task was asked of the client (Intake, each
/// time the schedule's repeating task opens); <see cref="DueAt"/> is when it falls due, the moment the next one would
/// come. The forms module keeps the schedule's "asked N times, next on" current from it.
/// </summary>
public sealed record AssessmentOccurrenceOpened(
    Guid EventId, Guid ScheduleId, Guid ClientId, int Occurrence, DateTimeOffset OpenedAt, DateTimeOffset? DueAt);
