namespace Portal.Contracts;

// Facts that modules publish when a client's record changes. Notifications emails the provider when the actor is
// the client; Intake completes the matching open tasks. None of them carries health answers or card data.

public enum InsuranceChange
{
    Added,
    Updated,
    Removed,
}

public enum PlanRank
{
    Primary,
    Secondary,
}

public sealed record InsuranceChanged(
    Guid EventId, Guid ClientId, Guid ProviderId, InsuranceChange Change, PlanRank Rank, Actor Actor, DateTimeOffset At);

public enum AutopayChange
{
    Enrolled,
    CardUpdated,
    Cancelled,
    Suspended,
}

public sealed record AutopayChanged(
    Guid EventId, Guid ClientId, Guid ProviderId, AutopayChange Change, Actor Actor, DateTimeOffset At, string? Reason);

/// <summary>The card on file expires soon: the client is reminded to update it.</summary>
public sealed record AutopayCardExpiring(Guid EventId, Guid ClientId, Guid ProviderId, string CardBrand, string Last4, DateOnly ExpiresOn);

public sealed record ConsentFormSigned(
    Guid EventId, Guid ClientId, Guid ProviderId, Guid DocumentId, int DocumentVersion, string DocumentTitle, Actor Actor, DateTimeOffset At);

public sealed record IntakeFormCompleted(
    Guid EventId, Guid ClientId, Guid ProviderId, Guid FormId, int FormVersion, string FormTitle, Actor Actor, DateTimeOffset At);

/// <summary>An assessment was completed. Severity and the safety flag are for the workflow; emails never show them.</summary>
public sealed record AssessmentCompleted(
    Guid EventId, Guid ClientId, Guid ProviderId, string Instrument, Guid ResultId, int Score, string Severity, bool SafetyFlag,
    Actor Actor, DateTimeOffset At);

/// <summary>
/// A PHQ-9 item-9 answer above 0: the provider is told at once, as urgent, without the answer. The flag's id is this
/// <see cref="EventId"/>; it stays open until the provider acknowledges it (<see cref="SafetyFlagAcknowledged"/>).
/// </summary>
public sealed record SafetyFlagRaised(Guid EventId, Guid ClientId, Guid ProviderId, string Instrument, Guid ResultId, DateTimeOffset At);

/// <summary>The provider acknowledged the flag <see cref="FlagId"/> with a note (the note stays in Forms).</summary>
public sealed record SafetyFlagAcknowledged(
    Guid EventId, Guid FlagId, Guid ClientId, Guid ProviderId, DateTimeOffset At);

/// <summary>
/// The flag <see cref="FlagId"/> was not acknowledged in time: the provider is emailed again, once, with no health
/// detail and no client name.
/// </summary>
public sealed record SafetyFlagEscalated(
    Guid EventId, Guid FlagId, Guid ClientId, Guid ProviderId, DateTimeOffset RaisedAt, DateTimeOffset At);
