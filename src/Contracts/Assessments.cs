namespace Portal.Contracts;

/// <summary>
/// A recurring assessment that a provider set up is due again (the first occurrence at once, then every
/// <see cref="EveryWeeks"/> weeks). Published by the forms module; the intake workflows may open a
/// <see cref="TaskKind.CompleteAssessment"/> task for it (subject = <see cref="Instrument"/>, e.g. "phq9"), which also
/// invites a client without an account. The client can answer it from the portal's assessments page either way.
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
