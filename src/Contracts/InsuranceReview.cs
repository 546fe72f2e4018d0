namespace Portal.Contracts;

/// <summary>
/// The provider sent a client's insurance plan back with a message saying what to fix. Notifications emails the
/// client the message and a link to their insurance page; no plan details travel with it.
/// </summary>
public sealed record InsurancePlanReturned(
    Guid EventId, Guid ClientId, Guid ProviderId, PlanRank Rank, string Message, Actor Actor, DateTimeOffset At);
