namespace Portal.Contracts;

/// <summary>
/// A recurring assessment that a provider set up is due again (the first occurrence at once, then every
/// <see cref="EveryWeeks"/> weeks). Published by the forms module. The intake module opens one
/// <see cref="TaskKind.CompleteAssessment"/> task per occurrence (subject = <see cref="Instrument"/>, e.g. "phq9"; once
/// per <see cref="ScheduleId"/> and <see cref="Occurrence"/>, however often the message arrives), announced in
/// <see cref="TasksRequested"/> like any task: it invites a client without an account, counts in the caseload, is
/// reminded of and falls due, and answering the assessment completes it.
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
