namespace Portal.Contracts;

/// <summary>
/// A client's account was locked after repeated failed sign-ins (<see cref="LockedUntil"/> is when the lock ends by
/// itself), or unlocked before that time by support, a password reset or an activation (<see cref="LockedUntil"/>
/// null). Published by Invitations for the provider's client list; carries no email, address or attempt count.
/// <see cref="At"/> orders the changes of one client.
/// </summary>
public sealed record ClientAccountLockChanged(Guid ClientId, DateTimeOffset? LockedUntil, DateTimeOffset At);
