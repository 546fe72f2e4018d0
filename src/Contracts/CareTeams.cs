namespace Portal.Contracts;

/// <summary>
/// A client's primary clinician changed from one practice member to another (<see cref="By"/> an owner or the
/// previous primary). Both clinicians are told. <see cref="TransferId"/> is unique per transfer, so a replay tells
/// nobody twice. Carries no health detail: only who, which client and when.
/// </summary>
public sealed record PrimaryClinicianChanged(
    Guid TransferId,
    Guid ClientId,
    Guid FromMemberId,
    Guid ToMemberId,
    Actor By,
    DateTimeOffset At)
{
    /// <summary>The practice member who made the change (an owner or the previous primary); null when not a member.</summary>
    public Guid? ByMemberId { get; init; }
}
